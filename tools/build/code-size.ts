// Code bytes of a component: the sum of the code sections of every core module in it (nested
// components included). The Supabase host compiles the component on every query and compile time
// is linear in these bytes (~1.5 ms per KB on a 2-core machine); data sections (QuickJS' snapshot,
// micro's bytecode) cost size but no compile time. So this, not the file size, is what to watch.
import { splitSections } from "../component/binary.js";

export function codeBytes(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let n = 0;
  for (const s of splitSections(bytes, start, end)) {
    const layer = bytes[start + 6];
    if (s.id === 10 && bytes[start + 4] === 1 && layer === 0) n += s.end - s.start; // a core module's code section
    else if ((s.id === 1 || s.id === 4) && layer === 1) n += codeBytes(bytes, s.start, s.end); // nested module/component
  }
  return n;
}
