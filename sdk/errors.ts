// Error normalisation. Under componentize-qjs a routine that throws an Error (or a string) becomes
// err(message) = `guest fdw error: <message>`, but throwing anything else (42, {}, null) traps
// (`wasmtime error: …`, message lost). So everything thrown across the boundary goes through here.

/** Shortens text for error messages (values from remote APIs can be huge). */
export function truncate(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`;
}

/** A short, safe description of any value for an error message, e.g. `string "abc"`, `object {"a":1}`. */
export function describeValue(value: unknown, max = 60): string {
  if (value == null) return String(value);
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // cyclic objects, BigInt: String() below
  }
  return `${Array.isArray(value) ? "array" : typeof value} ${truncate(text ?? String(value), max)}`;
}

/** Any thrown value → a plain Error whose message is a non-empty string. */
export function toError(thrown: unknown): Error {
  let message: string;
  if (thrown instanceof Error) {
    message = thrown.message !== "" ? thrown.message : thrown.name || "Error";
  } else if (typeof thrown === "string") {
    message = thrown !== "" ? thrown : "unknown error";
  } else if (thrown !== null && typeof thrown === "object" && typeof (thrown as { message?: unknown }).message === "string") {
    message = (thrown as { message: string }).message;
  } else {
    message = `non-Error value thrown: ${describeValue(thrown)}`;
  }
  // A fresh plain Error: subclasses or odd prototypes must not confuse the binding glue.
  return new Error(message);
}

/** Prefixes an error's message with context, keeping it an Error. */
export function withContext(context: string, thrown: unknown): Error {
  return new Error(`${context}: ${toError(thrown).message}`);
}
