#!/bin/sh
# Fails the build with one line when the machine's node/npm cannot build the UI (no toolchain is
# downloaded: the build uses what is installed).
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "error: building siphon-ui needs Node.js 20 or newer and npm on the PATH; install them (Debian/Ubuntu: apt-get install nodejs npm)" >&2
    exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
    echo "error: building siphon-ui needs Node.js 20 or newer, found $(node --version); install a newer nodejs" >&2
    exit 1
fi
