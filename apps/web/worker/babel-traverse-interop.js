// @endo/module-source reads `default`, `Hub` and `NodePath` from the *default* import of
// @babel/traverse, which is Node's CommonJS interop shape (default import = module.exports).
// Bundlers give the default import as `module.exports.default` instead, so the worker bundle
// aliases @babel/traverse to this module, which restores Node's shape.
import * as traverse from '../../../node_modules/@babel/traverse/lib/index.js';

const shape = { ...traverse, default: traverse.default };
export default shape;
export const { Hub, NodePath, Scope, visitors } = traverse;
