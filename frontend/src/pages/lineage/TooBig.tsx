// What the lineage view offers when the size guard refused a picture.
import type { ApiError } from '../../api/transport';
import type { GroupBy } from '../../api/types';
import type { Depth } from '../../lib/selector';
import { ErrorBox } from '../../components/ui';

/** Says whether an error is the size guard's refusal (too many nodes, or too dense). */
export function isTooBig(err: ApiError | null): boolean {
  return !!err && /more than the \d+ a picture can show|group it by|too dense/i.test(err.message);
}

/**
 * The refusal, and ways to draw less: a coarser grouping, coarsest last
 * (the one refused is not offered again), or two hops around the selector's one term.
 */
export function TooBigAdvice({ error, groupBy, depth, apply }: { error: ApiError; groupBy: GroupBy; depth: Depth | null; apply: (next: { group?: GroupBy; select?: string }) => void }) {
  const d = depth;
  const twoHops = d ? `${d.up ? '2+' : ''}${d.core}${d.down ? '+2' : ''}` : '';
  return (
    <>
      <ErrorBox error={{ name: 'ApiError', code: error.code, message: error.message.replace(/^lineage ".*?": /, '') } as ApiError} title="Too big to draw" />
      <div class="row">
        <span class="muted small">Try:</span>
        {(['folder', 'schema', 'package', 'layer'] as GroupBy[]).filter((g) => g !== groupBy).map((g) => (
          <button key={g} type="button" class="btn btn-small" onClick={() => apply({ group: g })}>Group by {g}</button>
        ))}
        {d && (d.up === Infinity || d.down === Infinity || (d.up ?? 0) > 2 || (d.down ?? 0) > 2) && (
          <button type="button" class="btn btn-small" onClick={() => apply({ select: twoHops })}>Two hops: {twoHops}</button>
        )}
      </div>
    </>
  );
}
