import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The server serves target/classes/siphon-ui at / (see siphon-server's WebUi); `npm run dev`
// proxies the API to a server on localhost:8080.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'target/classes/siphon-ui',
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
