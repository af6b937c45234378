// Parses and validates Adaptive Cards with Microsoft's official renderer (npm `adaptivecards`), as a client does.
// Input (stdin): a JSON array of cards. Output (stdout): a JSON array with, per card, every parse and validation event.
"use strict";
const AdaptiveCards = require("adaptivecards/dist/adaptivecards.js");

const input = require("fs").readFileSync(0, "utf8");
const cards = JSON.parse(input);
const results = cards.map((json) => {
  const card = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext();
  card.parse(json, context);
  const parseEvents = [];
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    parseEvents.push({ phase: event.phase, event: event.event, message: event.message });
  }
  const validationEvents = card
    .validateProperties()
    .validationEvents.map((event) => ({ phase: event.phase, event: event.event, message: event.message }));
  return { version: card.version ? card.version.toString() : null, parseEvents, validationEvents };
});
process.stdout.write(JSON.stringify(results));
