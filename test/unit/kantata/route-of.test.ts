import { describe, expect, it } from 'vitest';
import { routeOf } from '../../../src/kantata/kantata-client.js';

describe('routeOf (the Kantata route label of the metrics)', () => {
  it.each([
    ['/workspace_groups', '/workspace_groups'],
    ['/workspace_groups/42', '/workspace_groups/:id'],
    ['/user_group_memberships/9001?x=1', '/user_group_memberships/:id'],
    ['/users/me', '/users/me'],
    ['/users/ann%40example.com', '/users/:id'],
    ['/users/Ann.Smith', '/users/:id'],
  ])('%s → %s: resource words stay, anything else becomes :id', (path, route) => {
    expect(routeOf(path)).toBe(route);
  });
});
