// Fake `supabase:wrappers/jwt@*`.
const jwt = {
  encode: (): string => {
    throw new Error("jwt is not faked");
  },
};
export default jwt;
export const { encode } = jwt;
