import type { Piece } from '../lib/diff';

/** Deletions struck through, insertions underlined: the changes between two versions' text. */
export function Diff({ pieces }: { pieces: Piece[] }) {
  return (
    <div className="tf-preview-body" style={{ maxHeight: 480 }} data-testid="diff" tabIndex={0} role="region" aria-label="修改对比 diff">
      {pieces.map((p, i) =>
        p.kind === 'same' ? (
          <span key={i}>{p.text}</span>
        ) : p.kind === 'del' ? (
          <del key={i} className="tf-diff-del">
            {p.text}
          </del>
        ) : (
          <ins key={i} className="tf-diff-ins">
            {p.text}
          </ins>
        ),
      )}
    </div>
  );
}
