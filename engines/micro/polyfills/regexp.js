// RegExp fixes for MicroQuickJS.

//@unit RegExp.prototype.global RegExp.prototype.ignoreCase RegExp.prototype.multiline RegExp.prototype.dotAll RegExp.prototype.unicode RegExp.prototype.sticky
(function () {
  // MicroQuickJS has RegExp.prototype.flags but not the one-flag getters.
  var R = RegExp.prototype;
  var names = ["global", "ignoreCase", "multiline", "dotAll", "unicode", "sticky"];
  var letters = "gimsuy";
  function getter(letter) {
    return function () {
      return this.flags.indexOf(letter) >= 0;
    };
  }
  for (var i = 0; i < names.length; i++) {
    if (!(names[i] in R)) Object.defineProperty(R, names[i], { get: getter(letters.charAt(i)), configurable: true });
  }
})();

//@unit RegExp.prototype.exec RegExp.prototype.test
(function () {
  // MicroQuickJS' exec/test clamp a lastIndex past the end of the string instead of failing (ES:
  // a global or sticky regexp whose lastIndex > length fails and resets lastIndex to 0). Without
  // this, the usual `while ((m = re.exec(s)) !== null) { …; if (m[0] === "") re.lastIndex++; }`
  // never ends. Installed only when the engine has the defect.
  var R = RegExp.prototype;
  var nativeExec = R.exec, nativeTest = R.test;
  var probe = /x*/g;
  probe.lastIndex = 2;
  if (nativeExec.call(probe, "a") === null) return;
  function pastEnd(re, s) {
    var len = typeof s === "string" ? s.length : String(s).length;
    if (re.lastIndex > len && (re.flags.indexOf("g") >= 0 || re.flags.indexOf("y") >= 0)) {
      re.lastIndex = 0;
      return true;
    }
    return false;
  }
  R.exec = function exec(s) {
    return pastEnd(this, s) ? null : nativeExec.call(this, s);
  };
  R.test = function test(s) {
    return pastEnd(this, s) ? false : nativeTest.call(this, s);
  };
})();
