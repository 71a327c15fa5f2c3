// Export of exactly what the lineage view shows: the same Lineage request in
// another format, downloaded through a Blob link in a browser, saved through
// the system's save dialog in the desktop window (whose web view would put a
// download in the home folder without asking), or copied to the clipboard.
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, transportKind } from '../../api';
import type { LineageFormat, LineageRequest, LineageResult } from '../../api/types';
import { copyText, downloadBlob } from '../../lib/download';

const EXPORTS: { fmt: LineageFormat; label: string; text: boolean }[] = [
  { fmt: 'svg', label: 'SVG', text: true },
  { fmt: 'png', label: 'PNG', text: false },
  { fmt: 'pdf', label: 'PDF', text: false },
  { fmt: 'dot', label: 'DOT', text: true },
  { fmt: 'mermaid', label: 'Mermaid', text: true },
  { fmt: 'json', label: 'JSON', text: true },
  { fmt: 'csv', label: 'CSV edges', text: true },
  { fmt: 'csv-nodes', label: 'CSV nodes', text: true },
];

// Written whatever the selection's size: nothing is laid out for them.
const DATA: LineageFormat[] = ['dot', 'json', 'csv', 'csv-nodes'];

/**
 * result is the picture shown (null: nothing to export). dataOnly: no picture
 * because the size guard refused it; DOT, JSON and CSV are still written whole.
 */
/** The PNG scales offered (1× is 96 dpi). */
const PNG_SCALES = [0.5, 1, 2, 3, 4];

export function scaleLabel(scale: number): string {
  return scale === 0.5 ? '½' : String(scale);
}

/**
 * The largest scale offered below the one picked that a "the PNG would be
 * … pixels …: export it at scale 0.90 or less" refusal allows; null when
 * the refusal is another or none fits.
 */
export function smallerScale(message: string, picked: number): number | null {
  const m = /export it at scale ([\d.]+) or less/.exec(message);
  if (!m) return null;
  const fits = PNG_SCALES.filter((s) => s < picked && s <= Number(m[1]));
  return fits.length > 0 ? fits[fits.length - 1] : null;
}

export function ExportControls({ result, request, dataOnly = false }: { result: LineageResult | null; request: (fmt: LineageFormat) => LineageRequest; dataOnly?: boolean }) {
  const [exportMsg, setExportMsg] = useState<string | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  const copyRef = useRef<HTMLDetailsElement>(null);
  const copyOff = (!result && !dataOnly) || !!exporting;
  const [pngScale, setPngScale] = useState(2);
  useEffect(() => {
    if (!exportMsg) return;
    // Long enough to read a warning that came with the export.
    const t = setTimeout(() => setExportMsg(null), exportMsg.length > 80 ? 12000 : 3500);
    return () => clearTimeout(t);
  }, [exportMsg]);
  // What the export says beyond the picture's own warnings (shown above it).
  const news = (warnings: string[] | null | undefined) => (warnings ?? []).filter((w) => !(result?.warnings ?? []).includes(w)).map((w) => ` · ${w}`).join('');

  async function doExport(fmt: LineageFormat, mode: 'download' | 'copy') {
    if (!result && !(dataOnly && DATA.includes(fmt))) return;
    setExporting(fmt);
    setExportMsg(null);
    try {
      const req = { ...request(fmt), content_only: true, ...(fmt === 'png' ? { scale: pngScale } : {}) };
      if (mode === 'download' && transportKind() === 'wails') {
        const saved = await api.saveLineage(req);
        if (!saved.cancelled) setExportMsg(`Saved ${saved.path}${news(saved.warnings)}`);
        return;
      }
      // The SVG on screen is the export; other formats are the same request in another format.
      let res: LineageResult;
      let note = '';
      try {
        res = fmt === 'svg' && result ? result : await api.lineage(req);
      } catch (e) {
        // A PNG too big at the scale picked is made at the largest one that fits.
        const fits = fmt === 'png' ? smallerScale((e as Error).message, pngScale) : null;
        if (fits === null) throw e;
        res = await api.lineage({ ...req, scale: fits });
        note = ` at ${scaleLabel(fits)}× (at ${scaleLabel(pngScale)}× it would be too big)`;
      }
      const filename = res.filename || `lineage.${fmt === 'mermaid' ? 'mmd' : fmt}`;
      if (mode === 'copy') {
        await copyText(res.content);
        setExportMsg(`${EXPORTS.find((x) => x.fmt === fmt)?.label ?? fmt} copied to the clipboard${news(res.warnings)}`);
      } else {
        downloadBlob(filename, res.mime_type, res.content, !!res.base64);
        setExportMsg(`Saved ${filename}${note}${news(res.warnings)}`);
      }
    } catch (e) {
      setExportMsg(`Export failed: ${(e as Error).message.replace(/^lineage ".*?": /, '')}`);
    } finally {
      setExporting(null);
    }
  }

  return (
    <span class="export" role="group" aria-label="Export">
      <span class="muted small">Export</span>
      {EXPORTS.map((x) => (
        <Fragment key={x.fmt}>
          <button type="button" class="btn btn-small" data-export={x.fmt} disabled={(!result && !(dataOnly && DATA.includes(x.fmt))) || !!exporting} onClick={() => void doExport(x.fmt, 'download')} title={`Download ${x.label}`}>
            {x.label}
          </button>
          {x.fmt === 'png' && (
            <select class="btn-small" name="png-scale" aria-label="PNG scale" title="PNG scale (1× is 96 dpi)" value={String(pngScale)} onChange={(e) => setPngScale(Number((e.target as HTMLSelectElement).value))}>
              {/* ½×: a picture of a thousand nodes is past a PNG's size at 1×. */}
              {PNG_SCALES.map((s) => <option key={s} value={String(s)}>{scaleLabel(s)}×</option>)}
            </select>
          )}
        </Fragment>
      ))}
      {/* A menu, not a select: a select copied at each arrow key, so the
          keyboard never got past the first format (QA). */}
      <details
        class="copy-menu"
        ref={copyRef}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && copyRef.current?.open) {
            e.stopPropagation();
            copyRef.current.open = false;
            copyRef.current.querySelector('summary')?.focus();
          }
        }}
      >
        <summary
          class="btn btn-small"
          aria-label="Copy to clipboard"
          aria-disabled={copyOff}
          onClick={(e) => copyOff && e.preventDefault()}
        >
          Copy…
        </summary>
        <div class="copy-popup" role="group" aria-label="Copy as">
          {EXPORTS.filter((x) => x.text && (result || DATA.includes(x.fmt))).map((x) => (
            <button
              key={x.fmt}
              type="button"
              class="btn btn-small"
              data-copy={x.fmt}
              disabled={copyOff}
              onClick={() => {
                if (copyRef.current) copyRef.current.open = false;
                copyRef.current?.querySelector('summary')?.focus();
                void doExport(x.fmt, 'copy');
              }}
            >
              {x.label}
            </button>
          ))}
        </div>
      </details>
      {exportMsg && <div class="toast" role="status">{exportMsg}</div>}
    </span>
  );
}
