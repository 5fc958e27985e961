/**
 * What the Worker tells the page when it serves it: where the browser fetches MediaPipe's holistic
 * landmarker for the Sign tab. The Worker writes it as JSON into the HTML (no extra request).
 */
export interface PageConfig {
  readonly landmarker: {
    /** Folder with MediaPipe's vision_wasm_internal.js / .wasm (of the bundled tasks-vision version). */
    readonly wasmBase: string;
    /** The holistic_landmarker.task model file. */
    readonly modelUrl: string;
    /** True when the deployer set these (LANDMARKER_* vars), false for MediaPipe's published locations. */
    readonly configured: boolean;
  };
}

export const PAGE_CONFIG_ELEMENT_ID = 'page-config';
/** What the built HTML holds in the config element until the Worker fills it in. */
export const PAGE_CONFIG_PLACEHOLDER = '"__SIGNCAST_PAGE_CONFIG__"';

/** The config as JSON safe inside a `<script>` element (no `</script>` can end it early). */
export function pageConfigJson(config: PageConfig): string {
  return JSON.stringify(config).replace(/</g, '\\u003c');
}

export function readPageConfig(doc: Document): PageConfig {
  const text = doc.getElementById(PAGE_CONFIG_ELEMENT_ID)?.textContent ?? '';
  return JSON.parse(text) as PageConfig;
}
