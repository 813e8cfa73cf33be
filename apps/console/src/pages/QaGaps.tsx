import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Button, Card, Space, Table, TreeSelect } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import type { QaGap } from '../api/types';
import { qs } from '../api/client';
import { usePaged } from '../lib/usePaged';
import { useSession } from '../lib/session';
import { useT } from '../lib/i18n';
import { fmtTime, useQaLookups } from '../lib/qa';
import { PageHeader } from '../components/PageHeader';

/** 知识缺口: questions citizens asked that got no good answer (or an unhelpful one), most asked first. */
export default function QaGaps() {
  const t = useT();
  const nav = useNavigate();
  const { has } = useSession();
  const lookups = useQaLookups();
  const [unitId, setUnitId] = useState<string | undefined>();
  const list = usePaged<QaGap>('/qa/gaps', { unitId }, 20);
  return (
    <div>
      <PageHeader
        title={t('知识缺口', 'Knowledge gaps')}
        extra={<Button onClick={() => nav('/qa')}>{t('答问库', 'Q&A library')}</Button>}
      />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <TreeSelect
            aria-label={t('应答单位', 'Routed unit')}
            placeholder={t('全部单位', 'All units')}
            allowClear
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeData={lookups.unitTree}
            treeDefaultExpandAll
            value={unitId}
            onChange={setUnitId}
            style={{ width: 200 }}
            data-testid="qa-unit-filter"
          />
        </Space>
        {list.error && <Alert type="error" title={list.error} />}
        <Table<QaGap>
          rowKey="normalizedText"
          size="small"
          data-testid="qa-gaps"
          scroll={{ x: 'max-content' }}
          loading={list.loading}
          dataSource={list.items}
          pagination={list.pagination}
          onChange={list.onTableChange}
          locale={{ emptyText: t('暂无知识缺口：群众的提问都找到了答案', 'No gaps: every question found an answer') }}
          columns={[
            { title: t('群众提问', 'Question asked'), dataIndex: 'example' },
            { title: t('次数', 'Times'), dataIndex: 'count' },
            { title: t('最近一次', 'Last asked'), dataIndex: 'lastAskedAt', render: fmtTime },
            { title: t('应答单位', 'Routed unit'), dataIndex: 'unitId', render: (v) => lookups.unitName(v) || '—' },
            ...(has('editor')
              ? [
                  {
                    title: t('操作', 'Action'),
                    key: 'write',
                    render: (_: unknown, g: QaGap) => (
                      <Button
                        size="small"
                        icon={<EditOutlined />}
                        onClick={() => nav(`/qa/new${qs({ fromGap: g.normalizedText, question: g.example, unitId: g.unitId })}`)}
                      >
                        {t('写答问', 'Write entry')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </div>
  );
}
