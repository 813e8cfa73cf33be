import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, Button, Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DownOutlined, PlusOutlined, RightOutlined, WarningOutlined } from '@ant-design/icons';
import { api } from '../api/client';
import type { Account, Matrix as MatrixData, MatrixCell, Page } from '../api/types';
import { useSession } from '../lib/session';
import { beijingTime } from '../lib/admin';
import { Loading } from '../components/Loading';
import { ScrollRegion } from '../components/ScrollRegion';
import { PlatformIcon } from '../components/PlatformIcon';
import { useLang, useT } from '../lib/i18n';
import { ACCOUNT_STATUS, CONNECTION, LEVEL, label } from '../lib/labels';
import { errorText } from '../lib/forms';

type Row = MatrixData['rows'][number];

/**
 * The matrix grid (units × platforms): every account with its status, connection and naming
 * verdict. It opens on the top unit(s) of the caller's scope and the units directly below; a row
 * with units below it opens them (fetched then, one level at a time: a province has thousands).
 */
export default function Matrix() {
  const t = useT();
  const lang = useLang();
  const [data, setData] = useState<MatrixData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [applying, setApplying] = useState<Account[]>([]);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [opening, setOpening] = useState<string | null>(null);
  const { has } = useSession();
  const nav = useNavigate();
  useEffect(() => {
    api<MatrixData>('/matrix?levels=1')
      .then((d) => {
        const ids = new Set(d.rows.map((r) => r.unitId));
        // The tops arrive with the units below them: shown open.
        setOpen(new Set(d.rows.filter((r) => !r.parentId || !ids.has(r.parentId)).map((r) => r.unitId)));
        setData(d);
      })
      .catch((e) => setError(errorText(e)));
    // Applications waiting for a supervisor (shown to supervisors, who approve them on the account's page).
    if (has('supervisor'))
      api<Page<Account>>('/accounts?status=applying&pageSize=50')
        .then((r) => setApplying(r.items))
        .catch(() => setApplying([]));
  }, [has]);
  // Rows whose every loaded ancestor is open (rows come in tree order, parents first).
  const visible = useMemo(() => {
    if (!data) return [];
    const shown = new Set<string>();
    const loaded = new Set(data.rows.map((r) => r.unitId));
    return data.rows.filter((r) => {
      const ok = !r.parentId || !loaded.has(r.parentId) || (shown.has(r.parentId) && open.has(r.parentId));
      if (ok) shown.add(r.unitId);
      return ok;
    });
  }, [data, open]);

  const toggle = (row: Row) => {
    if (!data) return;
    if (open.has(row.unitId) || data.rows.some((r) => r.parentId === row.unitId)) {
      const next = new Set(open);
      if (next.has(row.unitId)) next.delete(row.unitId);
      else next.add(row.unitId);
      setOpen(next);
      return;
    }
    setOpening(row.unitId);
    api<MatrixData>(`/matrix?unitId=${row.unitId}&levels=1`)
      .then((d) => {
        setData((cur) => {
          if (!cur) return cur;
          const at = cur.rows.findIndex((r) => r.unitId === row.unitId);
          const below = d.rows.filter((r) => r.parentId === row.unitId);
          const known = new Set(cur.platforms.map((p) => p.id));
          return {
            ...cur,
            platforms: [...cur.platforms, ...d.platforms.filter((p) => !known.has(p.id))],
            rows: [...cur.rows.slice(0, at + 1), ...below, ...cur.rows.slice(at + 1)],
          };
        });
        setOpen((cur) => new Set(cur).add(row.unitId));
      })
      .catch((e) => setError(errorText(e)))
      .finally(() => setOpening(null));
  };

  if (error) return <Alert type="error" title={error} />;
  if (!data) return <Loading />;

  const decode = (c: MatrixCell | unknown[]): MatrixCell =>
    Array.isArray(c) ? (Object.fromEntries((data.columns ?? []).map((k, i) => [k, c[i]])) as unknown as MatrixCell) : c;
  const cell = (raw: (MatrixCell | unknown[])[] | undefined) => {
    const cells = raw?.map(decode);
    return !cells?.length ? (
      <Typography.Text type="secondary">{t('未开设', 'none')}</Typography.Text>
    ) : (
      <Space orientation="vertical" size={2}>
        {cells.map((c) => (
          <span
            key={c.accountId}
            data-account={c.accountId}
            style={{ display: 'inline-flex', gap: 4, flexWrap: 'wrap', alignItems: 'center' }}
          >
            <Link to={`/accounts/${c.accountId}`}>{c.name}</Link>
            <Tag
              color={c.status === 'active' ? 'green' : c.status === 'applying' ? 'blue' : 'default'}
              style={{ color: 'rgba(0,0,0,0.88)' }}
            >
              {label(ACCOUNT_STATUS, c.status, lang)}
            </Tag>
            {c.connection !== 'connected' && (
              <Tag color="orange" style={{ color: 'rgba(0,0,0,0.88)' }}>
                {label(CONNECTION, c.connection, lang)}
              </Tag>
            )}
            {c.namingConsistent === false && (
              <Tooltip title={t('账号名称与单位其他账号不一致', 'The name differs from the unit’s other accounts')}>
                <Tag color="red" icon={<WarningOutlined aria-hidden />} style={{ color: 'rgba(0,0,0,0.88)' }} data-testid="naming-warning">
                  {t('名称不一致', 'Name mismatch')}
                </Tag>
              </Tooltip>
            )}
          </span>
        ))}
      </Space>
    );
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('账号矩阵', 'Account matrix')}
        </Typography.Title>
        {(has('unit_admin') || has('platform_operator')) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => nav('/accounts/new')}>
            {t('申请开设账号', 'Apply for an account')}
          </Button>
        )}
      </Space>
      {applying.length > 0 && (
        <Card
          title={
            <h2 style={{ fontSize: 16, margin: 0 }}>
              {t(`待审批的开设申请（${applying.length}）`, `Applications to approve (${applying.length})`)}
            </h2>
          }
        >
          <ScrollRegion label={t('待审批的开设申请', 'Applications to approve')} minWidth={640}>
            <Table<Account>
              rowKey="id"
              size="small"
              data-testid="applications"
              pagination={false}
              dataSource={applying}
              columns={[
                { title: t('账号', 'Account'), dataIndex: 'name', render: (n, a) => <Link to={`/accounts/${a.id}`}>{n}</Link> },
                { title: t('平台', 'Platform'), dataIndex: 'platform', render: (p) => <PlatformIcon platform={p} lang={lang} /> },
                {
                  title: t('单位', 'Unit'),
                  dataIndex: 'unitId',
                  render: (u) => data.rows.find((r) => r.unitId === u)?.name ?? '—',
                },
                { title: t('另开理由', 'Exception'), dataIndex: 'exceptionReason', render: (r) => r ?? '—' },
                { title: t('申请时间', 'Applied'), dataIndex: 'createdAt', render: (c: string) => beijingTime(c) },
              ]}
            />
          </ScrollRegion>
        </Card>
      )}
      {data.totals && (
        <Typography.Paragraph data-testid="matrix-totals">
          {t(
            `${data.totals.units} 个单位，${data.totals.accounts} 个账号，命名不一致 ${data.totals.inconsistent} 个`,
            `${data.totals.units} units, ${data.totals.accounts} accounts, ${data.totals.inconsistent} with inconsistent names`,
          )}
        </Typography.Paragraph>
      )}
      <Card>
        <Table<Row>
          rowKey="unitId"
          size="small"
          data-testid="matrix"
          scroll={{ x: 'max-content' }}
          pagination={false}
          dataSource={visible}
          locale={{ emptyText: t('管辖范围内没有单位', 'No unit in your scope') }}
          columns={[
            {
              title: t('单位', 'Unit'),
              dataIndex: 'name',
              fixed: 'left',
              render: (n, r) => (
                <span style={{ paddingLeft: r.depth * 16 }} data-unit={r.unitId}>
                  {r.childCount ? (
                    <Button
                      type="text"
                      size="small"
                      data-testid="matrix-open"
                      aria-expanded={open.has(r.unitId)}
                      aria-label={
                        open.has(r.unitId)
                          ? t(`收起${n}的下级单位`, `Close the units below ${n}`)
                          : t(`展开${n}的下级单位（${r.childCount} 个）`, `Open the ${r.childCount} units below ${n}`)
                      }
                      loading={opening === r.unitId}
                      icon={open.has(r.unitId) ? <DownOutlined aria-hidden /> : <RightOutlined aria-hidden />}
                      onClick={() => toggle(r)}
                    />
                  ) : (
                    <span style={{ display: 'inline-block', width: 24 }} />
                  )}
                  {n} <Typography.Text type="secondary">{label(LEVEL, r.level, lang)}</Typography.Text>
                </span>
              ),
            },
            ...data.platforms.map((p) => ({
              key: p.id,
              title: <PlatformIcon platform={p.id} lang={lang} />,
              render: (_: unknown, r: Row) => cell(r.cells[p.id]),
            })),
          ]}
        />
      </Card>
    </Space>
  );
}
