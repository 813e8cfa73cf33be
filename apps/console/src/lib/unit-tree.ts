import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { UnitTreeNode } from '../api/types';
import { useSession } from './session';

/** Roles that read publications (manuscript:read): the unit tree of the filter starts at their unit. */
const READERS = ['supervisor', 'unit_admin', 'editor', 'reviewer', 'auditor', 'duty_officer'];

export function unitTreeData(n: UnitTreeNode): object {
  return { value: n.id, title: n.name, children: n.children.map(unitTreeData) };
}

/** The unit subtree the caller reads, for the unit filters of the publication pages. */
export function useUnitTree(): UnitTreeNode | null {
  const { me } = useSession();
  const [tree, setTree] = useState<UnitTreeNode | null>(null);
  // The widest reading grant: a supervisor's city rather than the county they sit in.
  const root =
    me?.roles.find((r) => r.role === 'supervisor')?.unitId ?? me?.roles.find((r) => READERS.includes(r.role))?.unitId ?? me?.unitId;
  useEffect(() => {
    if (!root) return;
    api<UnitTreeNode>(`/units/${root}/tree`)
      .then(setTree)
      .catch(() => setTree(null));
  }, [root]);
  return tree;
}
