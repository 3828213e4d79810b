/* The playground's stand-in for amoCRM's Digital Pipeline settings (area `digital_pipeline`): the
   widget's automatic action on a stage, its quick settings drawn as amoCRM draws them (one text
   input per key of the manifest's `dp.settings`, named by its i18n key), then the widget's
   `callbacks.dpSettings()` as amoCRM calls it, with no arguments: the widget finds the inputs in the
   page, fills the hidden key and turns the amount into a choice. "Save" keeps what the inputs hold
   (what amoCRM stores and sends back in `action.settings.widget.settings`); "enters the stage" has
   the emulator post amoCRM's hook with them to this server. Plain ES2017, no build step. */
(function () {
  'use strict';
  var pg = window.dramlinkPlayground;
  var lib = pg.lib;
  var byId = lib.byId;
  var label = lib.label;
  var saved = null;

  /** amoCRM's markup for the action's quick settings: one labelled text input per dp.settings key. */
  function drawForm(m, langs) {
    var block = document.createElement('div');
    block.className = 'widget_settings_block';
    Object.keys(m.dp.settings).forEach(function (key) {
      var item = document.createElement('div');
      item.className = 'widget_settings_block__item_field';
      var name = document.createElement('label');
      name.className = 'widget_settings_block__title_field';
      name.htmlFor = 'pg-dp-' + key;
      name.textContent = label(langs, m.dp.settings[key].name);
      var holder = document.createElement('div');
      holder.className = 'widget_settings_block__input_field';
      var input = document.createElement('input');
      input.type = 'text';
      input.id = 'pg-dp-' + key;
      input.name = key;
      input.className = 'widget_settings_block__controls__text-input';
      input.value = saved && typeof saved[key] === 'string' ? saved[key] : '';
      holder.appendChild(input);
      item.appendChild(name);
      item.appendChild(holder);
      block.appendChild(item);
    });
    byId('pg-dp-title').textContent = label(langs, m.dp.title);
    byId('pg-dp-tile').replaceChildren(block);
  }

  function enter(w, langs) {
    lib.fillLeadsOnce(byId('pg-dp-lead'));
    showSaved();
    return lib.manifest().then(function (m) {
      if (pg.state.widget !== w) return; // the user switched away meanwhile
      drawForm(m, langs);
      w.callbacks.dpSettings();
    });
  }

  function leave() {
    byId('pg-dp-tile').replaceChildren();
  }

  /** What the tile's inputs hold, as amoCRM saves the action's settings. */
  function save() {
    var values = {};
    document.querySelectorAll('#pg-dp-tile input[name]').forEach(function (input) {
      values[input.name] = input.value;
    });
    saved = values;
    showSaved();
  }

  function showSaved() {
    byId('pg-dp-saved').textContent = saved ? JSON.stringify(saved, null, 2) : 'nothing saved yet';
    byId('pg-dp-fire').disabled = !saved;
  }

  function fire() {
    var leadId = Number(byId('pg-dp-lead').value);
    var out = byId('pg-dp-answer');
    out.textContent = 'posting…';
    fetch('/playground/dp-trigger', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ leadId: leadId, settings: saved }),
    })
      .then(function (r) {
        return r.json();
      })
      .then(function (a) {
        out.setAttribute('data-status', String(a.status || 0));
        out.replaceChildren(
          document.createTextNode(
            a.error ? a.error.message : 'amoCRM posted the hook to /amocrm/pipeline; dramlink answered ' + a.status + ' ' + a.body + ' · ',
          ),
        );
        if (!a.error) {
          var open = lib.link('/?lead=' + leadId, 'open the lead card');
          open.removeAttribute('target');
          open.onclick = function (e) {
            e.preventDefault();
            pg.openCard(leadId);
          };
          out.appendChild(open);
        }
      })
      .catch(function (e) {
        out.textContent = String(e.message || e);
      });
  }

  function boot() {
    byId('pg-dp-save').onclick = save;
    byId('pg-dp-fire').onclick = fire;
  }

  pg.addView({ tab: 'dp', area: 'digital_pipeline', boot: boot, enter: enter, leave: leave, poll: function () {} });
})();
