// Number statics missing from MicroQuickJS (it has parseInt, parseFloat, the constants, and
// Math.trunc/sign natively; those two are kept here as guarded fallbacks for other stdlibs).

//@unit Number.isInteger Number.isSafeInteger Number.isFinite Number.isNaN
(function () {
  var N = Number;
  function finite(x) {
    return typeof x === "number" && x === x && x !== Infinity && x !== -Infinity;
  }
  if (!N.isFinite)
    N.isFinite = function isFinite(x) {
      return finite(x);
    };
  if (!N.isNaN)
    N.isNaN = function isNaN(x) {
      return typeof x === "number" && x !== x;
    };
  if (!N.isInteger)
    N.isInteger = function isInteger(x) {
      return finite(x) && Math.floor(x) === x;
    };
  if (!N.isSafeInteger)
    N.isSafeInteger = function isSafeInteger(x) {
      return finite(x) && Math.floor(x) === x && Math.abs(x) <= 9007199254740991;
    };
})();

//@unit Math.trunc Math.sign
(function () {
  if (!Math.trunc)
    Math.trunc = function trunc(x) {
      x = +x;
      return x !== x || x === 0 || x === Infinity || x === -Infinity ? x : x < 0 ? Math.ceil(x) : Math.floor(x);
    };
  if (!Math.sign)
    Math.sign = function sign(x) {
      x = +x;
      return x > 0 ? 1 : x < 0 ? -1 : x;
    };
})();
