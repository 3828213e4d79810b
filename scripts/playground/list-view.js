/* The playground's lead list (area `llist`): the demo account's leads with checkboxes and their
   dramlink fields, and amoCRM's mass-action bar, whose dramlink entry calls the widget's
   `callbacks.leads.selected()` the way amoCRM does; the widget then asks `list_selected()` for the
   ticked rows and draws its bulk view with `render_template` into the list's right column.
   Registered with playground.js, which runs the widget. Plain ES2017, no build step. */
(function () {
  'use strict';
  var pg = window.dramlinkPlayground;
  var lib = pg.lib;
  var byId = lib.byId;
  var ticked = new Set();
  var widget = null;
  var polling = false;
  var last = {};

  function leads() {
    return pg.state.demo ? pg.state.demo.leads : [];
  }

  /** What amoCRM's list_selected() answers: the ticked rows, then a summary. */
  function selected() {
    var rows = leads().filter(function (l) {
      return ticked.has(l.id);
    });
    return {
      selected: rows.map(function (l) {
        return { id: l.id, type: 'lead', emails: [], phones: [] };
      }),
      summary: { items: rows.length, emails: 0, phones: 0 },
    };
  }

  function enter(w, langs) {
    widget = w;
    byId('pg-list-column').hidden = true;
    byId('pg-list-widget-name').textContent = (langs.widget && langs.widget.name) || 'dramlink';
    drawRows();
    poll();
  }

  function leave() {
    widget = null;
    byId('pg-list-widgets').replaceChildren();
    byId('pg-list-column').hidden = true;
  }

  function drawRows() {
    var demo = pg.state.demo;
    var rows = leads().map(function (l) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-lead', String(l.id));
      var box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = ticked.has(l.id);
      box.setAttribute('aria-label', 'Select ' + l.name);
      box.onchange = function () {
        if (box.checked) ticked.add(l.id);
        else ticked.delete(l.id);
        drawBar();
      };
      var open = document.createElement('a');
      open.href = '/?lead=' + l.id;
      open.textContent = l.name;
      open.onclick = function (e) {
        e.preventDefault();
        pg.openCard(l.id);
      };
      tr.appendChild(cell(box));
      tr.appendChild(cell(open));
      tr.appendChild(cell(l.price ? l.price.toLocaleString('en') + ' ' + demo.currency : '—'));
      tr.appendChild(cell('…', 'status'));
      tr.appendChild(cell('…', 'link'));
      return tr;
    });
    byId('pg-list-rows').replaceChildren.apply(byId('pg-list-rows'), rows);
    last = {};
    drawBar();
  }

  function cell(content, name) {
    var td = document.createElement('td');
    if (name) td.setAttribute('data-col', name);
    if (typeof content === 'string') td.textContent = content;
    else td.appendChild(content);
    return td;
  }

  /** amoCRM shows its mass-action bar once a row is ticked; the "select all" box follows the rows. */
  function drawBar() {
    var n = ticked.size;
    byId('pg-massbar').hidden = n === 0;
    byId('pg-list-count').textContent = n + ' selected';
    var all = byId('pg-list-all');
    all.checked = n > 0 && n === leads().length;
    all.indeterminate = n > 0 && n < leads().length;
  }

  /** The dramlink fields of every lead in the list, as amoCRM would show them in its columns. */
  function poll() {
    if (polling || !widget) return;
    polling = true;
    Promise.all(
      leads().map(function (l) {
        return lib
          .getJSON('/playground/emulator/accounts/' + pg.state.demo.accountId + '/leads/' + l.id)
          .then(function (data) {
            drawFields(l.id, data);
          })
          .catch(function (e) {
            lib.status('emulator: ' + e.message, true);
          });
      }),
    ).then(function () {
      polling = false;
    });
  }

  function drawFields(leadId, data) {
    var row = document.querySelector('#pg-list-rows [data-lead="' + leadId + '"]');
    if (!row) return;
    var status = lib.fieldValue(data, 'DRAMLINK_STATUS');
    var link = lib.fieldValue(data, 'DRAMLINK_LINK');
    var key = String(status) + ' ' + String(link);
    if (last[leadId] === key) return;
    last[leadId] = key;
    row.querySelector('[data-col="status"]').textContent = status === undefined ? '—' : String(status);
    var linkCell = row.querySelector('[data-col="link"]');
    if (link === undefined) linkCell.textContent = '—';
    else linkCell.replaceChildren(lib.link(String(link), String(link)));
  }

  function boot() {
    byId('pg-list-all').onchange = function () {
      var on = this.checked;
      leads().forEach(function (l) {
        if (on) ticked.add(l.id);
        else ticked.delete(l.id);
      });
      drawRows();
    };
    // amoCRM: the widget's entry in the list's menu runs its leads.selected callback; the right column appears only then.
    byId('pg-mass-dramlink').onclick = function () {
      if (!widget) return;
      byId('pg-list-column').hidden = false;
      widget.callbacks.leads.selected();
    };
  }

  pg.addView({
    tab: 'list',
    area: 'llist',
    widgetsBlock: 'pg-list-widgets',
    boot: boot,
    enter: enter,
    leave: leave,
    poll: poll,
    selected: selected,
  });
})();
