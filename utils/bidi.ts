/**
 * Direction safety for text that is not ours (HOSTILE-INPUTS.md D37). Feed text goes in its own
 * element with `dir="auto"` (an isolate: its direction comes from its own first strong
 * character, and an override inside it cannot reach the words around it). Addresses are shown
 * left to right with every bidi control removed, so U+202E cannot make
 * `https://evil.example/‮lmth.xe` read as another name.
 */

/** Embeddings, overrides, isolates and directional marks (U+200E/F, U+061C, U+202A–E, U+2066–9). */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
