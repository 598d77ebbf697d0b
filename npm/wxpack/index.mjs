// ES module entry: the same API as index.js.
import api from './index.js';

export const { build, diff, check, WxpackError, binaryPath } = api;
export default api;
