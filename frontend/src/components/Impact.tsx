// What a node reaches both ways in the whole snapshot: everything
// downstream (what a change to it affects, the exposures by name) and
// upstream (what it is built from, the sources by name). In the lineage
// view's node panel and on the node's page.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { Impact, ImpactSide, ProjectImpact } from '../api/types';
import { typeNoun } from '../lib/format';
import { href, inRun } from '../lib/router';

/** A side of an impact in a few words: "7 nodes: 4 models, 2 exposures, 1 semantic model · 24 tests". */
export function impactText(s: ImpactSide): string {
  if (s.nodes === 0 && s.tests === 0) return 'nothing';
  const types = Object.entries(s.by_type).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([t, n]) => `${n} ${typeNoun(t, n)}`);
  const parts = [`${s.nodes} ${s.nodes === 1 ? 'node' : 'nodes'}${types.length > 0 ? `: ${types.join(', ')}` : ''}`];
  if (s.tests > 0) parts.push(`${s.tests} ${s.tests === 1 ? 'test' : 'tests'}`);
  return parts.join(' · ');
}

/**
 * What the node reaches both ways, the exposures and sources by name
 * (links to their pages when links is set); showAll draws a side, and
 * listHref, when given, links to the side's impact list.
 */
export function ImpactLines({ snapshotId, uid, showAll, links = false, listHref }: { snapshotId: number; uid: string; showAll: (side: 'up' | 'down') => void; links?: boolean; listHref?: (side: 'up' | 'down') => string }) {
  const [impact, setImpact] = useState<Impact | null>(null);
  useEffect(() => {
    let live = true;
    setImpact(null);
    // Asked once the pick settles: arrow keys step through nodes faster
    // than a hub's impact is counted on a big project (0.2-0.4 s).
    const t = setTimeout(() => api.impact(snapshotId, uid).then((res) => live && setImpact(res), () => live && setImpact(null)), 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [snapshotId, uid]);
  if (!impact) return null;
  const sides: { side: 'down' | 'up'; label: string; s: ImpactSide; named: string; across: ProjectImpact[] }[] = [
    { side: 'down', label: 'Downstream', s: impact.downstream, named: 'exposures', across: impact.downstream_across ?? [] },
    { side: 'up', label: 'Upstream', s: impact.upstream, named: 'sources', across: impact.upstream_across ?? [] },
  ];
  return (
    <div class="impact small" data-testid="impact">
      {sides.map(({ side, label, s, named, across }) => (
        <div key={side} class="impact-side">
          <span class="impact-label">{label}</span> {impactText(s)}
          {s.nodes > 0 && <button type="button" class="linklike" title={`Draw everything ${label.toLowerCase()} of this node`} onClick={() => showAll(side)}>show all</button>}
          {s.nodes > 0 && listHref && <a class="linklike" href={listHref(side)} title={`List everything ${label.toLowerCase()} of this node, nearest first, with owners and tests`}>list</a>}
          <NamedList s={s} named={named} links={links} />
          {across.map((p) => (
            <div key={p.project} class="impact-across" data-testid="impact-across">
              <span class="muted">in project {p.project} #{p.snapshot_id}:</span> {impactText(p)}
              <NamedList s={p} named={named} links={links} snap={p.snapshot_id} />
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

/** The exposures or sources a side names, linked to their pages (in snapshot snap when given) when links is set. */
function NamedList({ s, named, links, snap }: { s: ImpactSide; named: string; links: boolean; snap?: number }) {
  if (s.named.length === 0) return null;
  const shown = links ? 20 : 5;
  return (
    <div class="muted impact-named" title={s.named.map((n) => n.unique_id).join('\n')}>
      {named}:{' '}
      {s.named.slice(0, shown).map((n, i) => (
        <Fragment key={n.unique_id}>
          {i > 0 && ', '}
          {links ? <a href={href(['node', n.unique_id], inRun(snap))}>{n.name}</a> : n.name}
        </Fragment>
      ))}
      {s.named.length > shown ? ` and ${s.named.length - shown} more` : ''}
    </div>
  );
}
