// RegExp fixes for MicroQuickJS. (exec/test past the end of the string, unmatched groups, $n and
// UTF-16 units are fixed in the engine itself: engines/micro/c/builtins.c.)

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
