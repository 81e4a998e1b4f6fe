# Disan's interface in English.
#
# How to edit: change the text after `=`; keep the name before `=` and every `{ $name }`
# (a value the site fills in, such as a count or a year). A long text may continue on the next
# lines if they are indented. Every name here must also be in ../vi/disan.ftl, and the other way
# round: `cargo test` names any that is missing. See README, "Translating the interface".
# Text is plain: the site escapes it for HTML, so write `&` and `<` as they are.

## Every page

site-name = Craft-village heritage
site-description = A digital archive of Vietnam's craft-village heritage: photos, films, sound, patterns, techniques and festivals.
skip = Skip to content
nav-main = Main navigation
nav-villages = Villages
nav-stories = Stories
nav-festivals = Festivals
nav-techniques = Techniques
nav-patterns = Patterns
search = Search
search-button = Search
search-placeholder = Search: drum, silk, Nha Xa…
# The link to the other language: its name in that language.
switch-language = Tiếng Việt
switch-language-label = Đọc trang này bằng tiếng Việt
footer = Disan — an archive of craft-village heritage. All sample content is labelled as sample material.
# Beside a record's value shown in Vietnamese for want of an English one.
in-vietnamese = (in Vietnamese)
# The name of this language in itself (subtitle tracks and transcripts).
language-name = English

## Home

home = Home
home-lead = Photos, films, sound, patterns, techniques and festivals of craft villages, kept for the future.
# $count: how many public records the archive holds.
public-records-count =
    { $count ->
        [one] { $count } public record
       *[other] { $count } public records
    }
records = Records
# $count: how many records a village has.
records-count =
    { $count ->
        [one] { $count } record
       *[other] { $count } records
    }
browse-by-kind = Browse by kind
villages = Craft villages
stories = Stories
upcoming-festivals = Upcoming festivals

## Search

# $count: how many records were found.
results-count =
    { $count ->
        [one] { $count } result
       *[other] { $count } results
    }
# $count: how many records were found; $query: what the visitor typed.
results-count-for =
    { $count ->
        [one] { $count } result for “{ $query }”
       *[other] { $count } results for “{ $query }”
    }
narrow = Narrow the results
sort = Sort
sort-relevance = Best match
sort-title = Title (A–Z)
sort-date = Oldest
sort-date-desc = Newest
no-results = No results.
# $page: this page's number; $pages: how many pages there are.
page-of = Page { $page } / { $pages }
previous = ← Previous
next = Next →
pages = Result pages
search-tips = Search tips
tip-diacritics = with or without Vietnamese diacritics
tip-phrase = a phrase
tip-fields = by field
# $page: the page asked for; $last: the last page there is (the search API's answer).
page-past-end = page { $page } is past the last page of these results, { $last }

## Facets of the search page

facet-kind = Kind
facet-village = Village
facet-craft = Craft
facet-district = District
facet-status = Decree 52/2018 class
facet-decade = Decade
facet-media = Has images, film or sound
# $decade: a year ending in 0, such as 1930.
decade-value = { $decade }s
yes = Yes
no = No

## Kinds of record

kind-photo = Photo
kind-film = Film
kind-audio = Sound
kind-pattern = Pattern
kind-technique = Technique
kind-festival = Festival
kind-document = Document
kind-story = Story
kind-other = Other

## Villages and crafts

commune = Commune
district = District
province = Province
decree-status = Class under Decree 52/2018/NĐ-CP
status-at-risk-irreversible = Endangered, beyond revival
status-at-risk-revivable = Endangered, revivable
status-developing = Developing
status-none = Not yet classified
crafts = Crafts
craft = Craft
village = Village
villages-of-craft = Villages
products = Products
artisans = Artisans
map = Map
map-caption = Hà Nam province (outline simplified from Natural Earth, public domain); each dot is a village, coloured by its class.
not-on-map = Not yet located
legend = Legend

## A record's page

open-original = Select the image to zoom; original:
zoom-in = Zoom in
zoom-out = Zoom out
zoom-reset = Fit
close = Close
viewer-help = Keys + and − zoom, arrow keys pan, 0 fits, Esc closes.
metadata = Metadata (Dublin Core)
field = Field
vietnamese = Vietnamese
english = English
files = Files
file = File
format = Format
size = Size
location-removed = The download has its location data (GPS, place names) removed, so it differs from the preserved original, which the archive keeps untouched. Only the download's checksum is published: the original's would let anyone recover the location.
location-removed-short = location data removed
file-withheld = This file is not offered publicly: its metadata may hold a location.
download = Download
related = Related records
transcript = Transcript

## Citing a record

cite = Cite this record
cite-plain = Plain text
cite-bibtex = BibTeX
stable-url = Stable URL
# In a citation, for a record without a date.
undated = n.d.

## Festivals and the lunar calendar

# A day of the solar calendar: $day, $month (1 to 12), $year.
date-label =
    { $day } { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
        [12] December
       *[other] { $month }
    } { $year }

festivals = Festivals
festivals-lead = Solar dates computed from the Vietnamese lunar calendar (UTC+7).
no-festivals = No festival has a lunar date yet.
lunar-date = Lunar date
next-dates = Solar dates this year and next
# $month: a lunar month (1 to 12); $leap: yes for the leap (intercalary) month of that number.
lunar-month =
    { $leap ->
        [yes] { $month } (leap)
       *[no] { $month }
    }
# $day: the lunar day; $month: the month as lunar-month writes it.
lunar-day-month = day { $day } of lunar month { $month }
# $month: a lunar month; $year: the lunar year without that leap month.
in-ordinary-month = in ordinary month { $month }: lunar year { $year } has no leap month { $month }
# $month: the month as lunar-month writes it; $year: the lunar year.
on-29th = on the 29th: lunar month { $month } of { $year } has 29 days
# $month: a lunar month; $year: the last year the calendar covers.
no-leap-month-until = No leap month { $month } comes before the end of lunar year { $year }.
# $month: a lunar month; $year: the lunar year it next comes as a leap month.
next-leap-month = The next leap month { $month }: lunar year { $year }.
# $first, $last: the years the calendar covers.
no-solar-dates = No solar date can be computed for this year or next (the calendar covers { $first } to { $last }).

## Error pages (shown in both languages at once)

error-not-found = Page not found.
error-internal = Something went wrong on our side.
error-body-refused = This site takes no request bodies.
back-home = Back to the home page

## Community protocols: a record whose files are narrower than its description.
files-reserved = The files of this record are reserved: its description is public, but its pictures, films, sound and original files are only for those allowed to see them.
files-reserved-short = Files not public
# A search page past the result window (break-12c finding 9).
error-page-too-deep = page: results past the { $window }th are not paged (page { $max } is the last); narrow the search with more words or a filter to reach them, not page '{ $page }'.
