import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Page, QaCategory, Unit } from '../api/types';

/** The province's category tree and the units in the caller's reach, for filters and pickers. */
export function useQaLookups() {
  const [categories, setCategories] = useState<QaCategory[]>([]);
  const [units, setUnits] = useState<Unit[]>([]);
  useEffect(() => {
    void api<QaCategory[]>('/qa/categories')
      .then(setCategories)
      .catch(() => undefined);
    void api<Page<Unit>>('/units?pageSize=200')
      .then((p) => setUnits(p.items))
      .catch(() => undefined);
  }, []);
  const categoryName = (id: string | null) => categories.find((c) => c.id === id)?.pathName ?? '';
  const unitName = (id: string | null) => units.find((u) => u.id === id)?.name ?? '';
  return {
    categories,
    units,
    categoryName,
    unitName,
    categoryOptions: categories.map((c) => ({ value: c.id, label: c.pathName })),
    unitOptions: units.map((u) => ({ value: u.id, label: u.name })),
    unitTree: unitTree(units),
    categoryTree: categoryTree(categories),
  };
}

export interface TreeNode {
  value: string;
  title: string;
  /** For antd Tree, which keys nodes by `key`. */
  key: string;
  children?: TreeNode[];
}

/** Rows with a parent id as a tree; a row whose parent is not among them is a root. */
function toTree<T extends { id: string; parentId: string | null }>(rows: T[], title: (r: T) => string): TreeNode[] {
  const ids = new Set(rows.map((r) => r.id));
  const byParent = new Map<string | null, T[]>();
  for (const r of rows) {
    const parent = r.parentId && ids.has(r.parentId) ? r.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), r]);
  }
  const build = (parent: string | null): TreeNode[] =>
    (byParent.get(parent) ?? []).map((r) => {
      const children = build(r.id);
      return { value: r.id, key: r.id, title: title(r), ...(children.length ? { children } : {}) };
    });
  return build(null);
}

/** The units in the caller's reach as a tree for TreeSelect (the caller's own unit at the root). */
export const unitTree = (units: Unit[]): TreeNode[] => toTree(units, (u) => u.name);

/** The province's category tree for Tree and TreeSelect. */
export const categoryTree = (categories: QaCategory[]): TreeNode[] => toTree(categories, (c) => c.name);

export const fmtTime = (v: string | null | undefined) => (v ? new Date(v).toLocaleString('zh-CN', { hour12: false }) : '—');
