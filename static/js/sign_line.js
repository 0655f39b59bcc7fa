// The wage-line signing page: the drawn signature (vendored signature_pad) goes into the form as a
// PNG data URL; an empty pad is not submitted.
(function () {
  "use strict";
  var canvas = document.getElementById("signature-pad");
  if (!canvas || !window.SignaturePad) return;
  var pad = new window.SignaturePad(canvas, { backgroundColor: "rgb(255,255,255)" });
  function resize() {
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
  }
  window.addEventListener("resize", resize);
  resize();
  document.getElementById("signature-clear").addEventListener("click", function () { pad.clear(); });
  document.getElementById("confirm-form").addEventListener("submit", function (event) {
    if (pad.isEmpty()) {
      event.preventDefault();
      window.alert("请先在框内手写签名。");
      return;
    }
    document.getElementById("signature-data").value = pad.toDataURL("image/png");
  });
})();
