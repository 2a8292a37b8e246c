// Connection forms generated from the connector catalog (GET /api/v1/connectors): each option's
// type says which input it gets and how its text becomes the value the API takes.
import type { OptionInfo } from './api';

/** The form's text for an option's stored value (lists comma-separated, maps as k=v lines). */
export function toText(option: OptionInfo, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n');
  }
  if (option.type === 'duration' && typeof value === 'number') return `${value}ms`;
  return String(value);
}

/** The value to send for an option's text; undefined leaves the option out (its default applies). */
export function fromText(option: OptionInfo, text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  switch (option.type) {
    case 'number':
      return /^-?\d+$/.test(t) ? Number(t) : t; // the server says what is wrong with a non-number
    case 'boolean':
      return t === 'true';
    case 'list':
      return t.split(',').map((s) => s.trim()).filter(Boolean);
    case 'map':
      return Object.fromEntries(
        t.split('\n').map((line) => line.split('=')).filter((kv) => kv.length >= 2)
          .map(([k, ...v]) => [k.trim(), v.join('=').trim()]),
      );
    default:
      return t;
  }
}

/**
 * The config of a connection from its form: empty fields are left out, and so are empty secrets
 * when editing (the server keeps the stored ones).
 */
export function configFromForm(options: OptionInfo[], texts: Record<string, string>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const option of options) {
    const value = fromText(option, texts[option.name] ?? '');
    if (value !== undefined) config[option.name] = value;
  }
  return config;
}

/** The required options with no value, by name: checked before the form is sent. */
export function missingRequired(options: OptionInfo[], texts: Record<string, string>, secretsSet: string[] = []): string[] {
  return options
    .filter((o) => o.required && !(texts[o.name] ?? '').trim() && !(o.secret && secretsSet.includes(o.name)))
    .map((o) => o.name);
}

/** Options the form shows up front: required ones and the secrets; the rest go under "More". */
export const isPrimary = (o: OptionInfo) => o.required || o.secret || o.name === 'user' || o.name === 'url';
