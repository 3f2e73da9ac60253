// Fake `supabase:wrappers/types@*`: the resource classes.
import { FakeColumn, FakeContext, FakeLimit, FakeOptions, FakeQual, FakeRow, FakeSort } from "../fake-host.js";

export { FakeRow as Row, FakeColumn as Column, FakeOptions as Options, FakeContext as Context, FakeQual as Qual, FakeSort as Sort, FakeLimit as Limit };
const types = { Row: FakeRow, Column: FakeColumn, Options: FakeOptions, Context: FakeContext, Qual: FakeQual, Sort: FakeSort, Limit: FakeLimit };
export default types;
