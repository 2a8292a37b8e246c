import { describe, expect, it } from 'vitest';
import { match } from './router';

describe('page paths', () => {
  it('match their pattern and give its parameters decoded', () => {
    expect(match('/pipelines/:name', '/pipelines/shop%20copy')).toEqual({ name: 'shop copy' });
    expect(match('/pipelines/:name/edit', '/pipelines/a/edit')).toEqual({ name: 'a' });
    expect(match('/connections', '/connections/')).toEqual({});
  });

  it('do not match a pattern of another length or another literal', () => {
    expect(match('/pipelines/:name', '/pipelines/a/edit')).toBeNull();
    expect(match('/pipelines/:name/edit', '/pipelines/a/runs')).toBeNull();
  });
});
