/* The playground's stand-in for amoCRM's Salesbot designer (area `salesbot_designer`): dramlink's
   step as the designer draws it after "Add": one row per setting of the manifest's
   `salesbot_designer.payment_link` (a caption and an input `[data-field-name=<key>][name=value_manual]`
   with its default), then the widget's `callbacks.salesbotDesignerSettings($body, renderRow, params)`
   as amoCRM calls it: its answer's exits are listed, and the widget may redraw the rows. "Save" calls
   `callbacks.onSalesbotDesignerSave(handler, params)` with what the inputs hold and shows the bot code
   it returned (what amoCRM stores); "Run" has the emulator run that code for a lead against this
   server: the widget_request, the wait for dramlink's continue, and the exit the bot leaves through.
   Plain ES2017, no build step. */
(function () {
  'use strict';
  var pg = window.dramlinkPlayground;
  var lib = pg.lib;
  var byId = lib.byId;
  var HANDLER = 'payment_link';
  var exits = [];
  var saved = null;

  /** amoCRM's renderRow(caption): the markup of one row in the designer's style (twig widget_param). */
  function renderRow(caption) {
    var row = document.createElement('div');
    row.className = 'salesbot-designer__widget-param';
    var span = document.createElement('span');
    span.className = 'salesbot-designer__widget-param-caption';
    span.textContent = caption || '';
    row.appendChild(span);
    return row.outerHTML;
  }

  /** The step's rows as the designer draws them from the manifest: a caption and the value input. */
  function drawRows(handler, langs) {
    var body = byId('pg-sb-body');
    body.replaceChildren();
    Object.keys(handler.settings).forEach(function (key) {
      var s = handler.settings[key];
      var row = document.createElement('div');
      row.className = 'salesbot-designer__widget-param';
      var caption = document.createElement('label');
      caption.className = 'salesbot-designer__widget-param-caption';
      caption.htmlFor = 'pg-sb-' + key;
      caption.textContent = lib.label(langs, s.name);
      var input = document.createElement('input');
      input.type = 'text';
      input.id = 'pg-sb-' + key;
      input.name = 'value_manual';
      input.setAttribute('data-field-name', key);
      input.setAttribute('data-type', s.type);
      input.value = s.default_value || '';
      row.appendChild(caption);
      row.appendChild(input);
      body.appendChild(row);
    });
    return body;
  }

  function enter(w, langs) {
    lib.fillLeadsOnce(byId('pg-sb-lead'));
    saved = null;
    showSaved();
    byId('pg-sb-answer').textContent = '';
    byId('pg-sb-answer').removeAttribute('data-exit');
    return lib.manifest().then(function (m) {
      if (pg.state.widget !== w) return; // the user switched away meanwhile
      var handler = m.salesbot_designer[HANDLER];
      byId('pg-sb-title').textContent = lib.label(langs, handler.name);
      var body = drawRows(handler, langs);
      var answer = w.callbacks.salesbotDesignerSettings(lib.jquery()(body), renderRow, {});
      exits = (answer && answer.exits) || [];
      byId('pg-sb-exits').replaceChildren.apply(
        byId('pg-sb-exits'),
        exits.map(function (x) {
          var li = document.createElement('li');
          li.setAttribute('data-exit', x.code);
          li.textContent = x.title + ' (' + x.code + ')';
          return li;
        }),
      );
    });
  }

  function leave() {
    byId('pg-sb-body').replaceChildren();
    byId('pg-sb-exits').replaceChildren();
  }

  /** What the step's inputs hold, as amoCRM hands them to onSalesbotDesignerSave. */
  function save() {
    var params = {};
    document.querySelectorAll('#pg-sb-body [name="value_manual"][data-field-name]').forEach(function (input) {
      params[input.getAttribute('data-field-name')] = input.value;
    });
    try {
      saved = pg.state.widget.callbacks.onSalesbotDesignerSave(HANDLER, params);
      JSON.parse(saved);
    } catch (e) {
      saved = null;
      byId('pg-sb-steps').textContent = 'onSalesbotDesignerSave failed: ' + String((e && e.message) || e);
      byId('pg-sb-run').disabled = true;
      return;
    }
    showSaved();
  }

  function showSaved() {
    byId('pg-sb-steps').textContent = saved ? JSON.stringify(JSON.parse(saved), null, 2) : 'nothing saved yet';
    byId('pg-sb-run').disabled = !saved;
  }

  function run() {
    var leadId = Number(byId('pg-sb-lead').value);
    var out = byId('pg-sb-answer');
    out.removeAttribute('data-exit');
    out.removeAttribute('data-state');
    out.textContent = 'the bot runs…';
    fetch('/playground/salesbot-run', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        leadId: leadId,
        steps: JSON.parse(saved),
        exits: exits.map(function (x) {
          return x.code;
        }),
      }),
    })
      .then(function (r) {
        return r.json();
      })
      .then(function (a) {
        if (a.error && !a.state) return void (out.textContent = a.error.message);
        show(out, a);
      })
      .catch(function (e) {
        out.textContent = String(e.message || e);
      });
  }

  /** How the bot came out of dramlink's step, and the value of each {{json.*}} the next blocks can use. */
  function show(out, a) {
    var exit = exits.find(function (x) {
      return x.code === a.exit;
    });
    out.setAttribute('data-state', a.state);
    if (a.exit) out.setAttribute('data-exit', a.exit);
    var text =
      'widget_request answered ' +
      (a.widgetRequestStatus === null ? 'nothing' : a.widgetRequestStatus) +
      '; the bot ' +
      (a.state === 'exited' ? 'left through "' + (exit ? exit.title : a.exit) + '" (' + a.exit + ')' : a.state) +
      (a.error ? ': ' + a.error : '') +
      '.';
    out.replaceChildren(document.createTextNode(text));
    var dl = document.createElement('dl');
    dl.className = 'pg-json';
    Object.keys(a.json || {}).forEach(function (k) {
      var dt = document.createElement('dt');
      dt.textContent = '{{json.' + k + '}}';
      var dd = document.createElement('dd');
      dd.setAttribute('data-json', k);
      var v = String(a.json[k]);
      if (k === 'payment_url' && v) dd.appendChild(lib.link(v, v));
      else dd.textContent = v || '—';
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    out.appendChild(dl);
  }

  function boot() {
    var bot = pg.state.demo.salesbot;
    byId('pg-sb-demo-bot').textContent = '#' + bot.id + ' ("' + bot.name + '")';
    byId('pg-sb-save').onclick = save;
    byId('pg-sb-run').onclick = run;
  }

  pg.addView({ tab: 'sb', area: 'salesbot_designer', boot: boot, enter: enter, leave: leave, poll: function () {} });
})();
