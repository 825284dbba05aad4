// Clue form: an indicator field ([[triggers]] in the policy, e.g. 民主测评满意率) is shown only while its
// channel is chosen. Without script every indicator field stays visible with its help text; the server
// registers only the chosen channel's value either way.
(function () {
  var channel = document.getElementById("id_channel");
  if (!channel) { return; }
  function update() {
    document.querySelectorAll("[data-trigger-channel]").forEach(function (input) {
      var wrapper = input.closest(".mb-3");
      if (wrapper) { wrapper.hidden = input.getAttribute("data-trigger-channel") !== channel.value; }
    });
  }
  channel.addEventListener("change", update);
  update();
})();
