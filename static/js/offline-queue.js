// OfflineQueue: records kept on the device (IndexedDB) and sent to an endpoint whenever the
// connection allows (docs/offline-collection.md §4). Generic over the endpoint and the record: the
// caller says how a record becomes a request body (`toBody`) and gives the request's headers.
//
// Each record carries an ID made on the device (crypto.randomUUID) that the server uses to accept
// it exactly once. States: pending (待上传), sending (上传中), sent (已上传), refused (被退回,
// with the server's reason). Only one tab sends at a time (a Web Lock), and a record goes from
// pending to sending in a single IndexedDB transaction, so two tabs never send the same record.
// A failed attempt (no connection, 5xx) is retried with exponential backoff; the connection coming
// back ("online") retries at once. 401/403 pause the queue until the user logs in again: the records
// stay on the device through the login.
(function (global) {
  "use strict";

  var STORE = "records";

  function promisify(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function OfflineQueue(options) {
    this.name = options.name;
    this.url = options.url;
    this.toBody = options.toBody;
    this.headers = options.headers || function () { return {}; };
    this.baseDelay = options.baseDelay || 2000;
    this.maxDelay = options.maxDelay || 5 * 60 * 1000;
    this.onChange = options.onChange || function () {};
    this.onLoginRequired = options.onLoginRequired || function () {};
    // What of an uploaded record stays on the device (the rest, photos included, is the server's now).
    this.keepWhenSent = options.keepWhenSent || function (record) { return record.data; };
    // How a record's ID is made (a UUID; a page may pass its own for browsers without randomUUID).
    this.newId = options.newId || function () { return crypto.randomUUID(); };
    this.loginRequired = false;
    this.timer = null;
    this.dbPromise = null;
    this.channel = "BroadcastChannel" in global ? new BroadcastChannel("offline-queue:" + this.name) : null;
    var queue = this;
    if (this.channel) {
      this.channel.onmessage = function () { queue.onChange(); queue.schedule(); };
    }
  }

  OfflineQueue.prototype.db = function () {
    var name = "offline-queue:" + this.name;
    if (!this.dbPromise) {
      this.dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open(name, 1);
        open.onupgradeneeded = function () {
          open.result.createObjectStore(STORE, { keyPath: "id" }).createIndex("createdAt", "createdAt");
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return this.dbPromise;
  };

  // Runs `work(store)` in one readwrite transaction; resolves with its result once committed.
  OfflineQueue.prototype.transact = function (mode, work) {
    return this.db().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result;
        Promise.resolve(work(tx.objectStore(STORE))).then(function (value) { result = value; });
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  };

  OfflineQueue.prototype.changed = function () {
    this.onChange();
    if (this.channel) { this.channel.postMessage("changed"); }
  };

  OfflineQueue.prototype.list = function () {
    return this.transact("readonly", function (store) { return promisify(store.index("createdAt").getAll()); });
  };

  OfflineQueue.prototype.get = function (id) {
    return this.transact("readonly", function (store) { return promisify(store.get(id)); });
  };

  // A new record (its data in `record.data`); answers the stored record with its new ID.
  OfflineQueue.prototype.add = function (data, extra) {
    var record = Object.assign({
      id: this.newId(), data: data, state: "pending", attempts: 0, nextAt: 0,
      createdAt: Date.now(), answer: null, reason: "", errors: null
    }, extra || {});
    var queue = this;
    return this.transact("readwrite", function (store) { store.put(record); }).then(function () {
      queue.changed(); queue.sync(); return record;
    });
  };

  // Replace a record's data. A record still waiting keeps its ID (the server may have it already:
  // a changed record under a used ID is refused, and says so). A refused record is corrected as
  // a new record with a new ID: an ID always names one content.
  OfflineQueue.prototype.replace = function (id, data) {
    var queue = this;
    return this.transact("readwrite", function (store) {
      return promisify(store.get(id)).then(function (old) {
        if (!old || old.state === "sent" || old.state === "sending") { return null; }
        var record = Object.assign({}, old, {
          data: data, state: "pending", attempts: 0, nextAt: 0, reason: "", errors: null, answer: null
        });
        if (old.state === "refused") {
          store.delete(id);
          record.id = queue.newId();
          record.replaces = id;
        }
        store.put(record);
        return record;
      });
    }).then(function (record) { queue.changed(); queue.sync(); return record; });
  };

  OfflineQueue.prototype.remove = function (id) {
    var queue = this;
    return this.transact("readwrite", function (store) { store.delete(id); }).then(function () { queue.changed(); });
  };

  OfflineQueue.prototype.update = function (id, changes) {
    return this.transact("readwrite", function (store) {
      return promisify(store.get(id)).then(function (record) {
        if (record) { store.put(Object.assign(record, changes)); }
        return record;
      });
    });
  };

  // pending → sending in one transaction: the record is this caller's to send, or null.
  OfflineQueue.prototype.take = function (now) {
    return this.transact("readwrite", function (store) {
      return promisify(store.index("createdAt").getAll()).then(function (records) {
        var due = records.filter(function (r) { return r.state === "pending" && r.nextAt <= now; })[0];
        if (due) { due.state = "sending"; store.put(due); }
        return due || null;
      });
    });
  };

  OfflineQueue.prototype.backoff = function (attempts) {
    var delay = Math.min(this.maxDelay, this.baseDelay * Math.pow(2, Math.max(0, attempts - 1)));
    return delay / 2 + Math.random() * delay / 2;
  };

  OfflineQueue.prototype.sendOne = function (record) {
    var queue = this;
    return fetch(this.url, {
      method: "POST", body: this.toBody(record), headers: this.headers(), credentials: "same-origin",
      redirect: "manual"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        var status = response.status;
        if (status >= 200 && status < 300) {
          return queue.update(record.id, {
            state: "sent", answer: body, sentAt: Date.now(), data: queue.keepWhenSent(record)
          }).then(function () { return "next"; });
        }
        if (status === 401 || status === 403 || response.type === "opaqueredirect") {
          queue.loginRequired = true;
          return queue.update(record.id, { state: "pending" }).then(function () { return "login"; });
        }
        if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
          return queue.update(record.id, {
            state: "refused", reason: body.message || ("平台拒收（" + status + "）"), errors: body.errors || null,
            code: body.code || String(status)
          }).then(function () { return "next"; });
        }
        throw new Error("HTTP " + status);
      });
    }).catch(function () {
      var attempts = (record.attempts || 0) + 1;
      return queue.update(record.id, {
        state: "pending", attempts: attempts, nextAt: Date.now() + queue.backoff(attempts)
      }).then(function () { return "stop"; });
    });
  };

  // Sends what is due, one record after another, in at most one tab at a time.
  OfflineQueue.prototype.sync = function () {
    var queue = this;
    // Offline: nothing to try until the "online" event (start) says the connection is back.
    if (this.loginRequired || !navigator.onLine) { return Promise.resolve(); }
    var run = function (lock) {
      if (!lock) { return Promise.resolve(); }  // another tab is sending
      var step = function () {
        return queue.take(Date.now()).then(function (record) {
          if (!record) { return; }
          queue.changed();
          return queue.sendOne(record).then(function (outcome) {
            queue.changed();
            if (outcome === "login") { queue.onLoginRequired(); return; }
            if (outcome === "next") { return step(); }
          });
        });
      };
      return step();
    };
    var running = navigator.locks
      ? navigator.locks.request("offline-queue:" + this.name, { ifAvailable: true }, run)
      : run(true);
    return running.then(function () { queue.schedule(); });
  };

  // Wakes up for the earliest record waiting on its backoff.
  OfflineQueue.prototype.schedule = function () {
    var queue = this;
    clearTimeout(this.timer);
    this.list().then(function (records) {
      var waiting = records.filter(function (r) { return r.state === "pending"; });
      if (!waiting.length || queue.loginRequired) { return; }
      var next = Math.min.apply(null, waiting.map(function (r) { return r.nextAt; }));
      queue.timer = setTimeout(function () { queue.sync(); }, Math.max(1000, next - Date.now()));
    });
  };

  // Starts the queue: a record left "sending" by a tab closed mid-upload is pending again (under
  // the lock, so not while another tab is sending it); the connection's return retries at once.
  OfflineQueue.prototype.start = function () {
    var queue = this;
    global.addEventListener("online", function () { queue.retryNow(); });
    var recover = function (lock) {
      if (!lock) { return Promise.resolve(); }
      return queue.transact("readwrite", function (store) {
        return promisify(store.getAll()).then(function (records) {
          records.forEach(function (r) { if (r.state === "sending") { r.state = "pending"; store.put(r); } });
        });
      });
    };
    var recovering = navigator.locks
      ? navigator.locks.request("offline-queue:" + this.name, { ifAvailable: true }, recover)
      : recover(true);
    return recovering.then(function () { queue.changed(); return queue.sync(); });
  };

  // Retry every waiting record now (the connection is back, or the user asked).
  OfflineQueue.prototype.retryNow = function () {
    var queue = this;
    this.loginRequired = false;
    return this.transact("readwrite", function (store) {
      return promisify(store.getAll()).then(function (records) {
        records.forEach(function (r) { if (r.state === "pending") { r.nextAt = 0; store.put(r); } });
      });
    }).then(function () { return queue.sync(); });
  };

  // Shows the queue on a page: the offline and login banners, the 【待上传】 list (newest first, each
  // record drawn by `item`) and its count ("共 N 条，未完成 M 条", or `empty`). Resolves with the records.
  OfflineQueue.prototype.show = function (page) {
    var queue = this;
    page.offlineBanner.hidden = navigator.onLine;
    page.loginBanner.hidden = !queue.loginRequired;
    return queue.list().then(function (records) {
      records.reverse();
      page.list.replaceChildren.apply(page.list, records.map(page.item));
      var waiting = records.filter(function (r) { return r.state !== "sent"; }).length;
      page.summary.textContent = records.length ? "共 " + records.length + " 条，未完成 " + waiting + " 条。" : page.empty;
      return records;
    });
  };

  global.OfflineQueue = OfflineQueue;
})(window);
