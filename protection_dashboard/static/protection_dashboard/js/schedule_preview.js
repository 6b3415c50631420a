/* The schedule form's preview: while the user types a cron pattern, ask the
 * dashboard (no cloud call) for the pattern in words and its next three runs in
 * the user's timezone, and show them beside the form. Without JavaScript the
 * preview shows the default pattern, and the posted one after a submit. */
(function () {
  'use strict';
  var panel = document.querySelector('.schedule-preview[data-preview-url]');
  var field = document.getElementById('id_cron_pattern');
  if (!panel || !field || field.dataset.previewBound) {
    return;
  }
  field.dataset.previewBound = 'true';
  var description = panel.querySelector('.schedule-preview-description');
  var runs = panel.querySelector('.schedule-next-runs');
  var timer = null;
  var asked = 0;

  function show(answer) {
    description.textContent = '';
    runs.textContent = '';
    if (answer.error) {
      description.textContent = answer.error;
      return;
    }
    var code = document.createElement('code');
    code.textContent = answer.pattern;
    description.appendChild(code);
    description.appendChild(document.createTextNode(': ' + answer.description));
    answer.runs.forEach(function (run) {
      var item = document.createElement('li');
      item.textContent = run;
      runs.appendChild(item);
    });
  }

  function ask() {
    var number = ++asked;
    var url = panel.dataset.previewUrl + '?pattern=' + encodeURIComponent(field.value);
    fetch(url, {credentials: 'same-origin', headers: {'X-Requested-With': 'XMLHttpRequest'}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && number === asked) {  // only the newest question's answer
          show(answer);
        }
      })
      .catch(function () { /* the form still checks the pattern on submit */ });
  }

  field.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 300);
  });
}());
