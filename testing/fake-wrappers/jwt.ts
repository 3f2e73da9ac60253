// Fake `supabase:wrappers/jwt@*`: not faked (a guest that signs JWTs tests that on the runner).
const jwt = {
  encode: (): string => {
    throw new Error("jwt is not faked");
  },
};
export default jwt;
export const { encode } = jwt;
