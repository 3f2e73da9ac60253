// Fake `supabase:wrappers/http@*` (see ../fake-host.ts): every method goes to fakeHttp.handler.
import { fakeErrorForStatus, fakeSend } from "../fake-host.js";

const http = { get: fakeSend, post: fakeSend, put: fakeSend, patch: fakeSend, delete: fakeSend, errorForStatus: fakeErrorForStatus };
export default http;
export const get = fakeSend;
export const post = fakeSend;
export const put = fakeSend;
export const patch = fakeSend;
export const errorForStatus = fakeErrorForStatus;
