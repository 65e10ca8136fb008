'use strict';
// What a set's 'after' waits for: its names, and its patterns matched against the names known (but its own).
// Shared by the live page and the timeline file.
const taylorismFlows = {
  upstreamNames(after, self, known) {
    const names = new Set();
    const add = (value) => {
      for (const text of Array.isArray(value) ? value : [value]) {
        if (typeof text !== 'string') {
          continue;
        }
        if (text.includes('*') || text.includes('?')) {
          const pattern = new RegExp('^' + text.split(/([*?])/).map((piece) => piece === '*' ? '.*' : piece === '?' ? '.'
            : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('') + '$', 's');
          for (const name of known) {
            if (name !== self && pattern.test(name)) {
              names.add(name);
            }
          }
        } else {
          names.add(text);
        }
      }
    };
    const walk = (value) => {
      if (typeof value === 'string' || Array.isArray(value)) {
        add(value);
      } else if (value && typeof value === 'object') {
        for (const [key, part] of Object.entries(value)) {
          if (key === 'any_of' && Array.isArray(part)) {
            part.forEach(walk);
          } else if (key !== 'delay') {
            add(part);
          }
        }
      }
    };
    walk(after);
    return names;
  },
};
