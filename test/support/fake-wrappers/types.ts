// Fake `supabase:wrappers/types@*`: the resource classes.
import { FakeColumn, FakeContext, FakeOptions, FakeRow } from "../fake-host.js";

export { FakeRow as Row, FakeColumn as Column, FakeOptions as Options, FakeContext as Context };
const types = { Row: FakeRow, Column: FakeColumn, Options: FakeOptions, Context: FakeContext };
export default types;
