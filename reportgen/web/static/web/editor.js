// The editor's text boxes as words, not code. The server renders each box twice: the plain
// textarea (what the form posts, and all there is without scripts) and, hidden, the same
// words with each live figure a labelled token ("NI 59 latest: 93%") and emphasis shown as
// emphasis. Here the second replaces the first on screen; every change is written back into
// the textarea as the file's text ({{ NI59.latest }}, **bold**, *italic*), so the form, its
// live checks and its save are as they were. A box whose words would not come back exactly
// as they are keeps its textarea.
//
// The live-figure picker puts a figure where the cursor was in the box last used; from the
// keyboard, a box's "Insert a live figure" opens the list beside that box, and choosing one
// comes back to it with the cursor after the figure.
(function () {
  "use strict";
  var STYLES = { bold: "STRONG", italic: "EM" };
  var MARKERS = { STRONG: "**", B: "**", EM: "*", I: "*" };
  var saved = new WeakMap(); // each rich box's last selection
  var last = null; // the box last used: a rich box, or a textarea or input without one
  var pickerFor = null; // the box the picker was opened beside
  var RICH = ".rich[data-rich-for]:not([hidden])";

  function richOf(box) {
    return box && box.getAttribute("data-rich-for") !== null ? box : null;
  }

  function richFor(name) {
    return document.querySelector('.rich[data-rich-for="' + CSS.escape(name) + '"]:not([hidden])');
  }

  function boxNamed(name) {
    return richFor(name) || document.getElementById(name);
  }

  function labelOf(box) {
    var name = box.getAttribute("data-rich-for") || box.id;
    var label = document.getElementById("label-" + name);
    return label ? label.textContent.trim() : "the text";
  }

  // The file's text of a rich box's contents.
  function serialise(node) {
    var out = "";
    node.childNodes.forEach(function (child, index) {
      if (child.nodeType === Node.TEXT_NODE) {
        out += child.data;
      } else if (child.nodeType !== Node.ELEMENT_NODE) {
        return;
      } else if (child.hasAttribute("data-source")) {
        out += child.getAttribute("data-source");
      } else if (child.tagName === "BR") {
        // The browser keeps a last <br> so that an empty last line shows: not a line break.
        if (!(node.classList.contains("rich") && index === node.childNodes.length - 1)) { out += "\n"; }
      } else if (MARKERS[child.tagName]) {
        var inside = serialise(child);
        if (inside) { out += MARKERS[child.tagName] + inside + MARKERS[child.tagName]; }
      } else if (child.tagName === "DIV" || child.tagName === "P") {
        if (out && out.slice(-1) !== "\n") { out += "\n"; }
        out += serialise(child);
      } else {
        out += serialise(child);
      }
    });
    return out;
  }

  function textareaOf(rich) {
    return document.getElementById(rich.getAttribute("data-rich-for"));
  }

  // A last line break shows only with something after it.
  function keepLastLine(rich) {
    var end = rich.lastChild;
    var endsInBreak = serialise(rich).slice(-1) === "\n";
    if (endsInBreak && !(end && end.tagName === "BR")) {
      rich.appendChild(document.createElement("br"));
    }
  }

  function sync(rich) {
    keepLastLine(rich);
    textareaOf(rich).value = serialise(rich);
  }

  // After a change made here (not typed): the textarea follows, and the form's live check
  // runs as it does after typing.
  function changed(rich) {
    sync(rich);
    rich.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function selectionIn(rich) {
    var selection = window.getSelection();
    if (!selection.rangeCount) { return null; }
    var range = selection.getRangeAt(0);
    return rich.contains(range.commonAncestorContainer) ? range : null;
  }

  function rangeIn(rich) {
    var range = selectionIn(rich) || saved.get(rich);
    if (range && rich.contains(range.commonAncestorContainer)) { return range.cloneRange(); }
    range = document.createRange();
    range.selectNodeContents(rich);
    var end = rich.lastChild;
    if (end && end.tagName === "BR") { range.setEndBefore(end); }
    range.collapse(false);
    return range;
  }

  function place(rich, range) {
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    saved.set(rich, range.cloneRange());
  }

  function insertNode(rich, node) {
    var range = rangeIn(rich);
    range.deleteContents();
    range.insertNode(node);
    range = document.createRange();
    range.setStartAfter(node);
    range.collapse(true);
    place(rich, range);
    changed(rich);
  }

  function insertText(rich, text) {
    if (text) { insertNode(rich, document.createTextNode(text)); }
  }

  // The token right before (or after) the cursor, for one Backspace (Delete) to remove whole.
  function tokenBeside(rich, forward) {
    var range = selectionIn(rich);
    if (!range || !range.collapsed) { return null; }
    var node = range.startContainer, offset = range.startOffset, next;
    if (node.nodeType === Node.TEXT_NODE) {
      if (forward ? offset < node.data.length : offset > 0) { return null; }
    } else {
      next = forward ? node.childNodes[offset] : node.childNodes[offset - 1];
      if (next) { node = null; }
    }
    while (node && node !== rich && !next) {
      next = forward ? node.nextSibling : node.previousSibling;
      if (!next) { node = node.parentNode; }
    }
    while (next && next.nodeType === Node.ELEMENT_NODE && MARKERS[next.tagName] && next.lastChild) {
      next = forward ? next.firstChild : next.lastChild;
    }
    return next && next.nodeType === Node.ELEMENT_NODE && next.hasAttribute("data-source") ? next : null;
  }

  function unwrap(element) {
    var parent = element.parentNode;
    while (element.firstChild) { parent.insertBefore(element.firstChild, element); }
    parent.removeChild(element);
  }

  function style(rich, kind) {
    var tag = STYLES[kind];
    var range = rangeIn(rich);
    var said = document.getElementById("picker-status");
    var holder = range.commonAncestorContainer;
    while (holder && holder !== rich && holder.tagName !== tag) { holder = holder.parentNode; }
    if (holder && holder !== rich) {
      unwrap(holder);
      if (said) { said.textContent = (kind === "bold" ? "Bold" : "Italic") + " removed."; }
    } else if (range.collapsed) {
      if (said) { said.textContent = "Select some words first, then choose " + (kind === "bold" ? "Bold." : "Italic."); }
      rich.focus();
      return;
    } else {
      var wrapper = document.createElement(tag);
      wrapper.appendChild(range.extractContents());
      wrapper.querySelectorAll(tag).forEach(unwrap);
      range.insertNode(wrapper);
      range = document.createRange();
      range.selectNodeContents(wrapper);
      if (said) { said.textContent = (kind === "bold" ? "Bold." : "Italic."); }
    }
    rich.focus();
    place(rich, range);
    changed(rich);
  }

  function toolbar(rich) {
    var bar = document.createElement("div");
    bar.className = "rich-toolbar";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Style of the words in " + labelOf(rich));
    [["bold", "Bold", "Control+B"], ["italic", "Italic", "Control+I"]].forEach(function (made) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rich-style rich-style--" + made[0];
      button.setAttribute("data-style", made[0]);
      button.setAttribute("data-style-for", rich.getAttribute("data-rich-for"));
      button.setAttribute("aria-keyshortcuts", made[2]);
      button.textContent = made[1];
      bar.appendChild(button);
    });
    return bar;
  }

  function start(rich) {
    var textarea = textareaOf(rich);
    if (!textarea || serialise(rich) !== textarea.value) { return; } // keep the plain box
    rich.contentEditable = "true";
    rich.spellcheck = true;
    rich.hidden = false;
    textarea.hidden = true;
    rich.parentNode.insertBefore(toolbar(rich), rich);
    keepLastLine(rich);
    // The label now names the rich box alone (aria-labelledby): the hidden textarea is
    // only what the form posts.
    var label = document.getElementById("label-" + rich.getAttribute("data-rich-for"));
    if (label) { label.removeAttribute("for"); label.setAttribute("data-label-for", textarea.id); }
  }

  // --- the picker -------------------------------------------------------------------

  function picker() { return document.getElementById("figure-picker"); }

  function closePicker(focusButton) {
    var list = picker(), aside = document.getElementById("picker-away");
    if (!list || !pickerFor) { return; }
    var name = pickerFor.getAttribute("data-rich-for") || pickerFor.id;
    var button = document.querySelector('button[data-insert-for="' + CSS.escape(name) + '"]');
    if (aside) { aside.parentNode.insertBefore(list, aside.nextSibling); aside.hidden = true; }
    if (button) {
      button.setAttribute("aria-expanded", "false");
      if (focusButton) { button.focus(); }
    }
    pickerFor = null;
  }

  function openPicker(button) {
    var name = button.getAttribute("data-insert-for");
    var box = boxNamed(name), list = picker();
    if (!box || !list) { return; }
    if (pickerFor === box) { closePicker(true); return; }
    closePicker(false);
    var slot = document.querySelector('.picker-slot[data-slot-for="' + CSS.escape(name) + '"]');
    if (slot) {
      slot.appendChild(list);
      var aside = document.getElementById("picker-away");
      if (aside) { aside.hidden = false; }
    }
    button.setAttribute("aria-expanded", "true");
    pickerFor = box;
    last = box;
    var first = list.querySelector("button[data-figure]");
    if (first) { first.focus(); }
  }

  function insertFigure(button) {
    var box = pickerFor || last || document.querySelector(RICH) ||
      document.querySelector("textarea[data-box]");
    if (!box) { return; }
    var source = button.getAttribute("data-figure");
    var label = button.getAttribute("data-label") || source;
    closePicker(false);
    if (richOf(box)) {
      var token = document.createElement("span");
      token.className = "figure-token figure-token--figure";
      token.contentEditable = "false";
      token.setAttribute("data-source", source);
      token.textContent = label;
      box.focus();
      insertNode(box, token);
    } else {
      var at = box.selectionStart || 0, end = box.selectionEnd || 0;
      box.value = box.value.slice(0, at) + source + box.value.slice(end);
      box.focus();
      box.selectionStart = box.selectionEnd = at + source.length;
      box.dispatchEvent(new Event("input", { bubbles: true }));
    }
    var said = document.getElementById("picker-status");
    if (said) { said.textContent = "Inserted " + label + " in " + labelOf(box) + "."; }
  }

  // --- events -----------------------------------------------------------------------

  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (!selection.rangeCount) { return; }
    var range = selection.getRangeAt(0);
    var node = range.commonAncestorContainer;
    var rich = (node.nodeType === Node.ELEMENT_NODE ? node : node.parentNode).closest(".rich[data-rich-for]");
    if (rich) { saved.set(rich, range.cloneRange()); last = rich; }
  });

  document.addEventListener("focusin", function (event) {
    var box = event.target;
    if (box.matches && box.matches(".rich[data-rich-for], textarea[data-box], input[data-box]")) {
      if (pickerFor && box !== pickerFor) { closePicker(false); } // the list goes where the writing is
      last = box;
    }
  });

  document.addEventListener("input", function (event) {
    var rich = event.target.closest && event.target.closest(".rich[data-rich-for]");
    if (rich) { sync(rich); }
  }, true);

  document.addEventListener("keydown", function (event) {
    var rich = event.target.closest && event.target.closest(".rich[data-rich-for]");
    if (rich) {
      var key = event.key;
      if ((event.ctrlKey || event.metaKey) && !event.altKey && (key === "b" || key === "i" || key === "B" || key === "I")) {
        event.preventDefault();
        style(rich, key.toLowerCase() === "b" ? "bold" : "italic");
      } else if (key === "Enter" && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        insertText(rich, "\n");
      } else if (key === "Backspace" || key === "Delete") {
        var token = tokenBeside(rich, key === "Delete");
        if (token) {
          event.preventDefault();
          var range = document.createRange();
          range.setStartBefore(token);
          range.collapse(true);
          token.parentNode.removeChild(token);
          place(rich, range);
          changed(rich);
        }
      }
      return;
    }
    var list = picker();
    if (list && list.contains(event.target)) {
      var buttons = Array.prototype.slice.call(list.querySelectorAll("button[data-figure]"));
      var at = buttons.indexOf(event.target);
      if (event.key === "Escape") {
        event.preventDefault();
        if (pickerFor) { closePicker(true); }
      } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && at >= 0) {
        event.preventDefault();
        var next = buttons[(at + (event.key === "ArrowDown" ? 1 : buttons.length - 1)) % buttons.length];
        next.focus();
      }
    }
  });

  document.addEventListener("paste", function (event) {
    var rich = event.target.closest && event.target.closest(".rich[data-rich-for]");
    if (!rich) { return; }
    event.preventDefault();
    var text = (event.clipboardData || window.clipboardData).getData("text/plain") || "";
    insertText(rich, text.replace(/\r\n?/g, "\n"));
  });

  document.addEventListener("drop", function (event) {
    var rich = event.target.closest && event.target.closest(".rich[data-rich-for]");
    if (rich && event.dataTransfer && !event.dataTransfer.types.includes("text/plain")) { event.preventDefault(); }
  });

  document.addEventListener("mousedown", function (event) {
    // A style button keeps the selection in the box it styles.
    if (event.target.closest && event.target.closest("button[data-style]")) { event.preventDefault(); }
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentNode;
    var styled = target.closest("button[data-style]");
    if (styled) {
      var rich = richFor(styled.getAttribute("data-style-for"));
      if (rich) { style(rich, styled.getAttribute("data-style")); }
      return;
    }
    var asked = target.closest("button[data-insert-for]");
    if (asked) { event.preventDefault(); openPicker(asked); return; }
    var figure = target.closest("button[data-figure]");
    if (figure) { event.preventDefault(); insertFigure(figure); return; }
    // A label, or an error summary's link, of a box shown rich goes to the rich box.
    var label = target.closest("label[data-label-for]");
    var link = target.closest('a[href^="#"]');
    var name = label ? label.getAttribute("data-label-for") : link ? decodeURIComponent(link.getAttribute("href").slice(1)) : null;
    var shown = name ? richFor(name) : null;
    if (shown) {
      event.preventDefault();
      shown.focus();
      shown.scrollIntoView({ block: "center" });
    }
  });

  function begin() {
    document.querySelectorAll(".rich[data-rich-for]").forEach(start);
    // With the boxes shown as words, the picker need not show how a figure is written.
    var list = picker();
    if (list && document.querySelector(RICH)) { list.classList.add("figure-picker--words"); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", begin);
  } else {
    begin();
  }
})();
