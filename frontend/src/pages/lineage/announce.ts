// What a screen reader hears when a node or a box of the picture is
// picked with the keys or the mouse: the picture itself is drawn, not read.
import type { Edge, GroupBox, LineageNode } from '../../api/types';
import { displayName } from '../../lib/format';

/** The picked node or box, said in words; '' when none is picked. */
export function pickedText(node: LineageNode | null, group: GroupBox | null, edges: Edge[]): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (node) {
    const parents = edges.filter((e) => e.to === node.unique_id).length;
    const children = edges.filter((e) => e.from === node.unique_id).length;
    const t = node.test_summary;
    const tests = t.total > 0 ? `, ${count(t.total, 'test', 'tests')}${t.fail + t.error > 0 ? `, ${t.fail + t.error} failing` : ''}` : '';
    return `Picked ${displayName(node)}, ${node.resource_type.replace(/_/g, ' ')}: ${count(parents, 'parent', 'parents')} and ${count(children, 'child', 'children')} in the picture${tests}. Enter opens it.`;
  }
  if (group) return `Picked the box ${group.label}: ${count(group.members, 'node', 'nodes')}. Enter opens it in place.`;
  return '';
}
