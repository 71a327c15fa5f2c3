// The project page's "Data health": every model, seed, snapshot, source
// and exposure judged as the health lens judges it, summed up and the
// degraded and caution ones listed with why: at once for a project of up
// to AUTO_JUDGED of them, on demand beyond (the judging reads every test's
// latest outcome: seconds at 50k models).
import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError, type HealthEntry, type HealthReport } from '../../api';
import { href } from '../../lib/router';
import { quotedId } from '../lineage/request';
import { ErrorBox, HEALTH_JUDGED, HEALTH_STATES, HealthLine, Section, Spinner } from '../../components/ui';

/** The most resources judged at once when the page opens; more wait for the button. */
export const AUTO_JUDGED = 2000;

/** How many resources of a snapshot's counts health judges. */
export function judgedCount(counts: Record<string, number> | null | undefined): number {
  return HEALTH_JUDGED.reduce((sum, t) => sum + (counts?.[t] ?? 0), 0);
}

/** How many rows the list shows before "and N more". */
const SHOWN = 200;

/** "2 degraded, 5 caution, 0 unknown, 40 healthy", as the CLI says it. */
export function healthSummary(counts: HealthReport['counts']): string {
  return HEALTH_STATES.map((s) => `${counts[s] ?? 0} ${s}`).join(', ');
}

/** The resources worth a look: the degraded, then the caution ones. */
export function needingAttention(rep: HealthReport): HealthEntry[] {
  return rep.resources.filter((r) => r.health.state === 'degraded' || r.health.state === 'caution');
}

/** How many degraded resources a blast-radius picture starts from at most. */
const BLAST_FROM = 30;

/**
 * The selector of what the degraded resources reach downstream (their
 * blast radius): each one with its descendants, the first BLAST_FROM of
 * them; an exposure reaches nothing further.
 */
export function blastRadiusSelector(rep: HealthReport): { select: string; from: number; of: number } {
  const degraded = rep.resources.filter((r) => r.health.state === 'degraded' && r.resource_type !== 'exposure');
  const from = degraded.slice(0, BLAST_FROM);
  return { select: from.map((r) => `${quotedId(r.unique_id)}+`).join(' '), from: from.length, of: degraded.length };
}

export function HealthSection({ snapshotId, lineageSelect, auto }: { snapshotId: number; lineageSelect: string; auto: boolean }) {
  const [rep, setRep] = useState<HealthReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<ApiError | null>(null);
  useEffect(() => {
    setRep(null);
    setErr(null);
    if (!auto) return;
    let live = true;
    setBusy(true);
    api.projectHealth(snapshotId).then((r) => live && setRep(r), (e) => live && setErr(e)).finally(() => live && setBusy(false));
    return () => {
      live = false;
    };
  }, [snapshotId, auto]);

  function check() {
    setBusy(true);
    setErr(null);
    api.projectHealth(snapshotId).then(setRep, setErr).finally(() => setBusy(false));
  }

  const rows = rep ? needingAttention(rep) : [];
  return (
    <Section
      title="Data health"
      actions={
        <a class="btn btn-small" href={href(['lineage'], { select: lineageSelect, lens: 'health' })} title="The whole project drawn with the health lens: each border is the node's data health">
          Lineage with the health lens
        </a>
      }
    >
      {!rep && auto && busy && <Spinner label="Judging the project's data health…" />}
      {!rep && !auto && (
        <button type="button" class="btn" name="check-health" onClick={check} disabled={busy} title="Judge every model, seed, snapshot, source and exposure from the project's runs up to this snapshot: its last build, its tests, the freshness of the sources upstream, its description">
          {busy ? <Spinner /> : null} Check the project's data health
        </button>
      )}
      <ErrorBox error={err} />
      {rep && (
        <div class="stack-s" data-testid="project-health">
          <p class="changes-summary">{healthSummary(rep.counts)}</p>
          <BlastRadiusLink rep={rep} />
          {rows.length > 0 && (
            <table class="table" data-testid="health-rows">
              <thead>
                <tr><th>Resource</th><th>Health, and why</th></tr>
              </thead>
              <tbody>
                {rows.slice(0, SHOWN).map((r) => (
                  <tr key={r.unique_id}>
                    <td><a href={href(['node', r.unique_id])} title={r.unique_id}>{r.name}</a> <span class="muted small">{r.resource_type}</span></td>
                    <td><HealthLine health={r.health} reasons={4} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {rows.length > SHOWN && <p class="muted small">… and {rows.length - SHOWN} more (the CLI lists them all: lineagedesk health)</p>}
        </div>
      )}
    </Section>
  );
}

/** A link to the picture of what the degraded resources reach, with the health lens. */
function BlastRadiusLink({ rep }: { rep: HealthReport }) {
  const blast = blastRadiusSelector(rep);
  if (blast.from === 0) return null;
  return (
    <a class="btn btn-small" data-testid="blast-radius" href={href(['lineage'], { select: blast.select, lens: 'health' })}
      title="Each degraded model, seed, snapshot and source with everything downstream of it, drawn with the health lens: what their failures reach">
      What the degraded reach{blast.of > blast.from ? ` (the first ${blast.from} of ${blast.of})` : ''}
    </a>
  );
}
