// The project's saved views on its overview: one click to a picture saved
// from the lineage view's Views menu.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { SavedView } from '../../api/types';
import { Section } from '../../components/ui';
import { href } from '../../lib/router';
import { viewQuery } from '../lineage/request';
import { viewSummary } from '../lineage/ViewsMenu';

export function ViewsSection({ snapshotId }: { snapshotId: number }) {
  const [views, setViews] = useState<SavedView[]>([]);
  useEffect(() => {
    let live = true;
    api.views(snapshotId).then((v) => live && setViews(v), () => live && setViews([]));
    return () => {
      live = false;
    };
  }, [snapshotId]);
  if (views.length === 0) return null;
  return (
    <Section title="Saved views">
      <ul class="views-list" data-testid="saved-views">
        {views.map((v) => (
          <li key={v.name}>
            <a class="view-open" href={href(['lineage'], viewQuery(v))}>{v.name}</a>
            <span class="muted small view-summary">{viewSummary(v)}</span>
          </li>
        ))}
      </ul>
    </Section>
  );
}
