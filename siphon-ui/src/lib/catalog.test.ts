import { describe, expect, it } from 'vitest';
import type { OptionInfo } from './api';
import { configFromForm, fromText, missingRequired, toText } from './catalog';

const option = (name: string, type: string, extra: Partial<OptionInfo> = {}): OptionInfo => ({
  name, type, required: false, default: null, secret: false, description: '', allowed: [], usages: [], pipeline: false, ...extra,
});
const url = option('url', 'text', { required: true });
const password = option('password', 'text', { secret: true, required: true });
const fetchSize = option('fetch-size', 'number');
const tables = option('tables', 'list');
const props = option('properties', 'map');
const ssl = option('ssl', 'boolean');

describe('connection forms from the catalog', () => {
  it('turns each field into the value its type takes', () => {
    expect(fromText(fetchSize, ' 5000 ')).toBe(5000);
    expect(fromText(fetchSize, 'many')).toBe('many');
    expect(fromText(tables, 'public.a, public.b ,')).toEqual(['public.a', 'public.b']);
    expect(fromText(props, 'sslmode=require\napplicationName=a=b')).toEqual({ sslmode: 'require', applicationName: 'a=b' });
    expect(fromText(ssl, 'true')).toBe(true);
    expect(fromText(url, '   ')).toBeUndefined();
  });

  it('shows stored values as text', () => {
    expect(toText(tables, ['a', 'b'])).toBe('a, b');
    expect(toText(props, { x: '1' })).toBe('x=1');
    expect(toText(option('d', 'duration'), 1500)).toBe('1500ms');
    expect(toText(url, undefined)).toBe('');
  });

  it('leaves empty fields out so defaults and stored secrets apply', () => {
    expect(configFromForm([url, password, fetchSize], { url: 'jdbc:postgresql://h/db', password: '' })).toEqual({
      url: 'jdbc:postgresql://h/db',
    });
  });

  it('names the required fields left empty, but not a secret already stored', () => {
    expect(missingRequired([url, password], {})).toEqual(['url', 'password']);
    expect(missingRequired([url, password], { url: 'x' }, ['password'])).toEqual([]);
  });
});
