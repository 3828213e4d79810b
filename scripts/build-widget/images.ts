import { Resvg } from '@resvg/resvg-js';

/**
 * The logos amoCRM asks for (https://www.amocrm.ru/developers/content/integrations/structure): exact
 * pixel sizes, each under 300 KB; logo_dp.png is the Digital Pipeline action's tile
 * (https://www.amocrm.ru/developers/content/web_sdk/digital_pipeline).
 */
export const LOGO_SIZES = [
  { file: 'logo_main.png', width: 400, height: 272 },
  { file: 'logo_small.png', width: 108, height: 108 },
  { file: 'logo_medium.png', width: 240, height: 84 },
  { file: 'logo_min.png', width: 84, height: 84 },
  { file: 'logo.png', width: 130, height: 100 },
  { file: 'logo_dp.png', width: 174, height: 109 },
  // The Salesbot designer step's tile (manifest salesbot_designer.logo): amoCRM names no size; square as the small logo.
  { file: 'logo_salesbot.png', width: 108, height: 108 },
] as const;

export const MAX_IMAGE_BYTES = 300 * 1024;
const CANVAS = '#eef3fa';

/**
 * One square source mark, placed on each canvas: filling it when square, centred on a light
 * background when wide. The mark is nested as an <svg> with its own viewBox so it scales as a whole.
 */
export function composeLogoSvg(source: string, width: number, height: number): string {
  const open = /<svg\b[^>]*>/i.exec(source);
  const close = source.lastIndexOf('</svg>');
  if (!open || close < open.index) throw new Error('logo.svg has no <svg> root element');
  const viewBox = /\bviewBox="([^"]+)"/.exec(open[0])?.[1] ?? '0 0 100 100';
  const inner = source.slice(open.index + open[0].length, close);
  const square = width === height;
  const size = square ? width : Math.round(Math.min(width, height) * 0.78);
  const x = (width - size) / 2;
  const y = (height - size) / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${
    square ? '' : `<rect width="${width}" height="${height}" fill="${CANVAS}"/>`
  }<svg x="${x}" y="${y}" width="${size}" height="${size}" viewBox="${viewBox}">${inner}</svg></svg>`;
}

/** Shapes only, so no fonts are loaded: the same pixels on every machine. */
export function renderLogos(source: string): { file: string; png: Buffer }[] {
  return LOGO_SIZES.map(({ file, width, height }) => ({
    file,
    png: new Resvg(composeLogoSvg(source, width, height), { font: { loadSystemFonts: false }, fitTo: { mode: 'original' } })
      .render()
      .asPng(),
  }));
}
