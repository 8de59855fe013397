// Reads an iCalendar file on stdin and prints its events as JSON, as Mozilla's ical.js (Thunderbird's parser)
// understands them: each start and end as a UTC instant, worked out from the VTIMEZONE in the file itself.
// Used by planner/tests/test_calendar.py; install with `npm ci --prefix tests/calendar_clients`.
import ICAL from "ical.js";

function utc(time) {
  return time.toJSDate().toISOString();
}

function zoneOf(property) {
  const time = property.getFirstValue();
  return { tzid: property.getParameter("tzid") || null, zone: time.zone ? time.zone.tzid : null };
}

let text = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) {
  text += chunk;
}

const calendar = new ICAL.Component(ICAL.parse(text));
const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  const text = (name) => vevent.getFirstPropertyValue(name);
  const moment = (name) => {
    const value = vevent.getFirstPropertyValue(name);
    return value ? utc(value) : null;
  };
  return {
    uid: event.uid,
    summary: event.summary,
    status: text("status"),
    sequence: event.sequence,
    start: utc(event.startDate),
    end: utc(event.endDate),
    start_zone: zoneOf(vevent.getFirstProperty("dtstart")),
    last_modified: moment("last-modified"),
    dtstamp: moment("dtstamp"),
  };
});
const calendarProperty = (name) => {
  const value = calendar.getFirstPropertyValue(name);
  return value === null ? null : value.toString();
};
process.stdout.write(
  JSON.stringify({
    events,
    timezones: calendar.getAllSubcomponents("vtimezone").map((zone) => zone.getFirstPropertyValue("tzid")),
    refresh_interval: calendarProperty("refresh-interval"),
    published_ttl: calendarProperty("x-published-ttl"),
  }),
);
