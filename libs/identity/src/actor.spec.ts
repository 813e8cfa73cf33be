import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Actor, isRootPath, minimalPaths } from './actor';
import { Permission, Role } from './roles';

const grant = (role: Role, unitPath: string) => ({ role, unitId: unitPath, unitPath, level: null });

describe('Actor scope', () => {
  it('unites the subtrees of the roles that grant a permission, dropping covered descendants', () => {
    const a = new Actor('u', 'u', 'x', '/p/a/', [
      grant(Role.UnitAdmin, '/p/a/c/'),
      grant(Role.UnitAdmin, '/p/a/'),
      grant(Role.Editor, '/p/b/'),
    ]);
    assert.deepEqual(a.scope(Permission.UnitWrite), ['/p/a/']);
    assert.deepEqual(a.scope(Permission.UnitRead).sort(), ['/p/a/', '/p/b/']);
  });

  it('has no scope for a permission none of its roles grants', () => {
    const a = new Actor('u', 'u', 'x', '/p/', [grant(Role.Editor, '/p/')]);
    assert.deepEqual(a.scope(Permission.AuditRead), []);
    assert.equal(a.can(Permission.AuditRead), false);
  });

  it('holds a permission over the whole tree only when it is held at the root', () => {
    assert.equal(isRootPath('/p/'), true);
    assert.equal(isRootPath('/p/a/'), false);
    assert.equal(new Actor('u', 'u', 'x', '/p/', [grant(Role.Auditor, '/p/')]).holdsAtRoot(Permission.AuditRead), true);
    assert.equal(new Actor('u', 'u', 'x', '/p/a/', [grant(Role.Auditor, '/p/a/')]).holdsAtRoot(Permission.AuditRead), false);
    assert.equal(new Actor('u', 'u', 'x', '/p/', [grant(Role.Editor, '/p/')]).holdsAtRoot(Permission.AuditRead), false);
  });

  it('does not treat a sibling whose id shares a prefix as inside the subtree', () => {
    const a = new Actor('u', 'u', 'x', '/p/ab/', [grant(Role.Supervisor, '/p/ab/')]);
    assert.equal(a.canAt(Permission.UnitRead, '/p/ab/c/'), true);
    assert.equal(a.canAt(Permission.UnitRead, '/p/abc/'), false);
  });

  it('applies extra permissions (the bootstrap operator granting roles) over its own subtrees', () => {
    const a = new Actor('u', 'u', 'x', '/p/', [grant(Role.PlatformOperator, '/p/')], {}, [Permission.RoleGrant]);
    assert.deepEqual(a.scope(Permission.RoleGrant), ['/p/']);
  });

  it('minimalPaths removes duplicates and descendants', () => {
    assert.deepEqual(minimalPaths(['/a/b/', '/a/', '/a/', '/c/']).sort(), ['/a/', '/c/']);
  });
});
