/**
 * Saving a file from an extension page the way any web page does: a Blob, an object URL and a
 * click on an `<a download>`. Needs no `downloads` permission. Pages only (the worker has no
 * document).
 */
import type { ExportFile } from './reading-list';

/** How long the object URL outlives the click: the download reads it asynchronously. */
const REVOKE_AFTER_MS = 60_000;

export type DownloadFile = (file: ExportFile) => void;

export const downloadFile: DownloadFile = (file) => {
  const url = URL.createObjectURL(new Blob([file.text], { type: `${file.type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
};
