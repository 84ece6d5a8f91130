// Loads the course checker (taphuan_checker.wasm) for the editor's page and offers it to the
// app as window.taphuanCheck(filesJson, course, path, text) -> JSON. Marks <body
// data-checker="ready"> once it can be called.
import init, { check } from './taphuan_checker.js';

await init({ module_or_path: new URL('./taphuan_checker_bg.wasm', import.meta.url) });
window.taphuanCheck = check;
document.body.dataset.checker = 'ready';
document.dispatchEvent(new Event('taphuan-checker-ready'));
