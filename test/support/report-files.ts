import JSZip from 'jszip';

/**
 * Reads exported files back the way their readers do: PDF text as a PDF reader extracts it (page
 * by page), the XML parts inside DOCX and XLSX packages, plain text for the rest.
 */
export async function pdfPages(bytes: Buffer): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n += 1) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await doc.destroy();
  return pages;
}

/** Every XML part of an Office Open XML package, concatenated (text runs may be split in parts). */
export async function packageParts(bytes: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const parts = new Map<string, string>();
  for (const [name, file] of Object.entries(zip.files)) {
    if (!file.dir) parts.set(name, await file.async('string'));
  }
  return parts;
}

/** The searchable text of an exported file of any format (PDF text, package XML, or the bytes). */
export async function searchableText(format: string, bytes: Buffer): Promise<string> {
  if (format === 'pdf') return [bytes.toString('latin1'), ...(await pdfPages(bytes))].join('\n');
  if (format === 'docx' || format === 'xlsx') return [...(await packageParts(bytes)).values()].join('\n');
  return bytes.toString('utf8');
}
