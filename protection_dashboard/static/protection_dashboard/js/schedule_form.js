/* The schedule form's lists of resources and of protections hold a group per
 * resource type, labelled as the type's choice: show only the chosen type's, and
 * choose one of its protections when the protection chosen was of another type
 * (Horizon's switchable fields then show that protection's options). Without
 * JavaScript every group shows, and the form refuses a mismatch when posted. */
(function () {
  'use strict';
  var type = document.getElementById('id_resource_type');
  var resources = document.getElementById('id_resources');
  var plugin = document.getElementById('id_plugin');
  if (!type || !resources || !plugin || type.dataset.groupsBound) {
    return;
  }
  type.dataset.groupsBound = 'true';

  function showGroup(select, label) {
    Array.prototype.forEach.call(select.querySelectorAll('optgroup'), function (group) {
      var shown = group.label === label;
      group.hidden = !shown;
      group.disabled = !shown;
      if (!shown) {
        Array.prototype.forEach.call(group.querySelectorAll('option'), function (option) {
          option.selected = false;
        });
      }
    });
  }

  function update() {
    var chosen = type.options[type.selectedIndex];
    var label = chosen ? chosen.text : '';
    var before = plugin.value;
    showGroup(resources, label);
    showGroup(plugin, label);
    var current = plugin.options[plugin.selectedIndex];
    if (!current || current.parentNode.disabled) {
      var first = plugin.querySelector('optgroup:not([disabled]) option');
      if (first) {
        first.selected = true;
      }
    }
    if (plugin.value !== before) {
      plugin.dispatchEvent(new Event('change', {bubbles: true}));
    }
  }

  type.addEventListener('change', update);
  update();
}());
