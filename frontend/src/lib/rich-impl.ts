// The lazily loaded part of rich.ts.
export { renderMarkdown } from './markdown';
export { highlightSql } from './highlight';
