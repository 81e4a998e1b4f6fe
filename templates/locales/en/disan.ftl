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
kind-visit = Visit
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
map-caption = Hà Nam province (outline simplified from Natural Earth, public domain); each dot is a village, coloured by its class; a numbered circle is several villages close together. On a narrow screen, scroll the map sideways.
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
cite-bibtex = BibTeX
cite-plain-vi = Plain text (Vietnamese)
cite-plain-en = Plain text (English)
cite-ris = RIS
# In the note of a citation file: $id a record id, $version (v3) and $day the OCFL version cited,
# $url the record's stable URL.
cite-note = Disan record { $id }, OCFL version { $version } ({ $day }); current version: { $url }
# In the note of a citation file: $title the record's English title.
cite-note-english-title = English title: { $title }
cite-files = Download the citation
cite-file-ris = RIS (Zotero, EndNote, Mendeley)
cite-file-bib = BibTeX
cite-file-json = CSL-JSON
# $version: an OCFL version name such as v3; $day: the day it was made (yyyy-mm-dd).
cite-version-phrase = version { $version }, { $day }
# $url: the record's stable URL, which always shows its current version.
cite-current-phrase = current version: { $url }
# Beside the URL of the version a citation names.
cite-version-url = URL of the version cited
# On the page of an earlier version: $version and $day name it, $head the current version.
version-earlier = This is version { $version } ({ $day }) of this record, an earlier version; the current version is { $head }.
version-see-current = See the current version
# On an earlier version's page, when files it had were changed or removed since.
version-files-left-out = Files of this version that were changed or removed since are not shown here.
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
error-form-unreadable = The form could not be read (a field given twice, or one missing). Open the page again and send the form from there.
back-home = Back to the home page

## Community protocols: a record whose files are narrower than its description.
files-reserved = The files of this record are reserved: its description is public, but its pictures, films, sound and original files are only for those allowed to see them.
files-reserved-short = Files not public

## Signing in and accounts (issue 13)

auth-sign-in = Sign in
auth-sign-out = Sign out
# $login: the signed-in account's login.
auth-signed-in-as = Signed in as { $login }: your account
auth-login = Login
auth-password = Password
auth-code = Code from your authenticator app
auth-code-help = Only if your account uses a second factor; a recovery code also works here.
auth-token-refused = The API token is not valid: it is unknown, revoked or its account is disabled.
auth-totp-required = This account must enrol a second factor before it may use the API or a token: sign in with a browser, enrol at /account/totp (/en/account/totp in English), then send the request again.
auth-cross-site = This form was sent from another site and has been refused. Open the page on this site and send it again.
auth-form-expired = This form has expired or was not made by this site. Reload the page and send it again.
# $kib: the largest form accepted, in KiB.
auth-body-too-large = The form is too large: this site accepts at most { $kib } KiB. Shorten what you typed and send it again.
login-refused = The login, password or code is wrong.
# $seconds: how long to wait before trying again.
login-try-later = Too many failed attempts: wait { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }, then try again.
login-unavailable = Signing in is not possible right now; try again later.
login-no-accounts = This site has no accounts: nobody can sign in here.
account-title = Your account
# $login: the account's login; $role: admin, archivist or researcher.
account-who = Signed in as { $login } ({ $role }).
account-password = Password
account-current-password = Current password
account-new-password = New password
account-password-help = At least 8 characters; a few words you remember make a good one. Changing it signs you out everywhere else and revokes all your API tokens.
account-change-password = Change the password
# $ended: how many other sessions were ended; $tokens: how many API tokens were revoked.
account-password-changed = Your password is changed; { $ended ->
        [one] { $ended } other session was ended
       *[other] { $ended } other sessions were ended
    } and { $tokens ->
        [one] { $tokens } API token was revoked.
       *[other] { $tokens } API tokens were revoked.
    }
account-second-factor = Second factor (authenticator app)
# $left: recovery codes not used yet.
account-totp-on = Your account asks for a code from your authenticator app; { $left } recovery codes are left.
account-totp-off = Your account does not use a second factor.
account-totp-manage = Set up or replace the second factor
account-sessions = Your sessions
account-session-address = Address
account-session-agent = Browser
account-session-created = Created
account-session-last-seen = Last seen
account-session-end = End this session
account-session-this = This session
account-sessions-end-others = Sign out everywhere else
# $ended: how many sessions were ended.
account-sessions-ended = { $ended ->
        [one] { $ended } session was ended.
       *[other] { $ended } sessions were ended.
    }
account-tokens = API tokens
account-tokens-help = A token lets a script read the API as you: send it as "Authorization: Bearer …".
account-token-label = What the token is for
account-token-last-used = Last used
account-token-create = Create a token
account-token-revoke = Revoke
account-token-revoked = Revoked
account-token-shown-once = Here is your new token. Copy it now: it will not be shown again.
account-error-invalid-login = That login is not valid: use letters, digits, ".", "_", "-" and "@".
# $login: the login typed.
account-error-login-taken = An account named { $login } already exists.
# $login: the login typed.
account-error-unknown-login = No account is named { $login }.
# $chars: the password's length; $min: the shortest allowed.
account-error-password-short = The new password is too short ({ $chars } characters); use at least { $min }.
# $chars: the password's length; $max: the longest allowed.
account-error-password-long = The new password is too long ({ $chars } characters); use at most { $max }.
account-error-password-common = The new password is one of the most common passwords; choose one nobody else uses.
account-error-wrong-password = The current password is wrong.
account-error-invalid-group = That group id is not valid: use lowercase letters, digits and "-".
# $group: the group id typed.
account-error-unknown-group = No group has the id { $group }.
# $group: the group id typed.
account-error-group-taken = A group with the id { $group } already exists.
account-error-wrong-code = The code is wrong, expired or already used.
account-error-totp-required = Your role requires a second factor: it cannot be turned off.
account-error-not-found = That was not found for this account.
totp-must-enrol = Your role requires a second factor. Set it up now: until then you can see nothing else.
totp-scan = Scan this code with your authenticator app, then type the 6-digit code it shows.
totp-or-type = Or type this key:
totp-qr-label = QR code of the key for your authenticator app
totp-confirm = Confirm
totp-enrolled-now = Your second factor is set up.
totp-recovery-shown-once = These recovery codes let you sign in without your phone, each once. Keep them somewhere safe: they will not be shown again.
totp-is-on = Your second factor is on. To replace it (a new phone), give your password.
totp-is-off = Your account does not use a second factor. To set one up, give your password.
totp-begin = Set up a second factor
totp-replace = Replace the second factor
admin-title = Accounts and groups
admin-role = Role
admin-groups = Groups
admin-actions = Actions
admin-disabled = disabled
admin-disable = Disable
admin-end-sessions = Sign out everywhere (sessions and API tokens)
admin-role-new = New role
admin-role-change = Change role
# $login: the account.
admin-role-confirm = Change the role of { $login }: their sessions end and their API tokens are revoked
admin-role-handover = The new role signs in with a second factor. Hand this key to the account's owner now (it is shown only once); they add it to an authenticator app before their next sign-in:
admin-group-id = Group id
admin-group-name = Group name
admin-group-add = Create the group
admin-member-add = Add to the group
admin-done = Done.
# $record: the record's id.
views-title = Who saw { $record }
views-when = When
views-file = File
views-none = Nobody has opened this record while signed in.

audience-researchers = For researchers
audience-restricted = Restricted: archivists only
audience-community = Community only: { $groups }

# A search page past the result window (break-12c finding 9).
error-page-too-deep = page: results past the { $window }th are not paged (page { $max } is the last); narrow the search with more words or a filter to reach them, not page '{ $page }'.

## Search notices (issue 13 item 9): what the index says about a query, worded here.
# $max: the most words a query searches.
query-words-cut = Only the first { $max } words were searched; the rest of the query was ignored.
# $name: a word typed before a colon; $fields: the field names, a list.
query-not-a-field = “{ $name }:” is not a field (fields: { $fields }): the words were searched as typed.
# $example: query-field-example for the field.
query-heading = “{ $name }:” follows another word and is capitalised, as in a heading, so it was not read as a field: the words were searched as typed. To search a field, write it in lowercase, such as { $example }.
# $reason: a sentence saying what is wrong with the value (query-no-value, unknown-kind, …).
query-field-not-read = { $reason } So “{ $name }:” was not read as a field: the words were searched as typed.
query-field-finds-nothing = { $reason } So “{ $name }:” found nothing: a field that cannot be read is never searched as words.
query-empty-range = The range “{ $value }” holds no date: its excluded ends leave nothing between them. Write date:[2026 TO 2026] for the whole year
# An example of each field, as typed in the search box ($field: its English name).
query-field-example = { $field ->
    [village] village:"Nha Xá"
    [craft] craft:det-lua
    [district] district:"Duy Tiên"
    [kind] kind:film
    [date] date:[1990 TO 1999]
    [status] status:developing
   *[title] title:trống
}
query-no-value = “{ $field }:” needs a value, such as { $example }
# $kinds: the kinds, a list (photo, film, …).
unknown-kind = kind: '{ $value }' is not a kind; use one of: { $kinds }
query-unknown-status = status: '{ $value }' is not a Decree 52/2018 status; use one of: { $statuses }
query-bad-date = Cannot read the date “{ $value }”: write date:1995, date:199X or date:[1990 TO 1999]
# $word: an operator word as typed (OR, HOẶC, KHÔNG…); $lower: the same in lowercase.
query-read-as-or = “{ $word }” was read as OR: results hold the word before it or the word after it. To search for the word itself, write it in lowercase (“{ $lower }”).
query-read-as-not = “{ $word }” was read as NOT: results leave out the word after it. To search for the word itself, write it in lowercase (“{ $lower }”).
query-read-as-and = “{ $word }” was read as AND: results hold the words on both sides. To search for the word itself, write it in lowercase (“{ $lower }”).
query-operator-left-out = “{ $word }” joins no words here, so it was left out. To search for the word itself, write it in lowercase (“{ $lower }”).
search-identifier = Showing results for the identifier “{ $identifier }”.
search-read-as = Showing results for “{ $query }”.
search-no-such-village = No record is from a village called “{ $name }”, so the words were searched as typed.
search-no-such-craft = No record is from a craft called “{ $name }”, so the words were searched as typed.
search-word-left-out-with-others = No record holds “{ $word }” with the other words, so it was left out.
search-word-left-out = No record holds “{ $word }”, so it was left out.
search-close-spellings = Nothing contains “{ $word }”; results include close spellings.
search-spellings-tried = Nothing contains “{ $word }”; close spellings of it were tried too.
search-word-too-long = Nothing contains “{ $word }”; words longer than { $max } letters are not checked for close spellings.
search-spellings-budget = Nothing contains “{ $word }”; close spellings are looked for only for the first { $max } words found nowhere.
# One word of a list named in a notice.
search-quoted = “{ $word }”
# $words: search-quoted of each word, joined by commas.
search-none-hold = Nothing contains { $words }.
search-no-field-match = No record matches the field searched (date, village, craft, kind…).
# $filtered: yes when filters were chosen, no otherwise.
search-not-together = { $filtered ->
    [yes] No record holds all the words together with the filters chosen; try fewer words or removing a filter.
   *[no] No record holds all the words together; try fewer words.
}
search-not-together-named = { $filtered ->
    [yes] No record holds all the words { $words } together with the filters chosen; try fewer words or removing a filter.
   *[no] No record holds all the words { $words } together; try fewer words.
}
search-nothing-with-filters = No record matches the search with the filters chosen; try removing a filter.
search-excluded-leave-nothing = No record matches: the words excluded leave nothing.
search-no-records = There are no public records yet.

## Refused requests (pages and the JSON API, issue 12): each names the parameter.
error-too-many-parameters = a search takes at most { $max } parameters, not { $given }
error-repeated-parameter = { $parameter } is given more than once; give one value (a search filters each field by one value)
error-bad-page = page must be a whole number from 1 to { $max }, not '{ $value }'
error-bad-id = { $parameter } must be an id such as 'doi-tam' (lowercase letters, digits, '-'), not '{ $value }'
error-bad-sort = sort must be relevance, title, date or date-desc, not '{ $value }'
error-bad-status = status must be at-risk-irreversible, at-risk-revivable or developing, not '{ $value }'
error-bad-decade = decade must be a year ending in 0, such as 1930, not '{ $value }'
error-bad-media = media must be yes or no, not '{ $value }'
error-bad-lang = lang must be vi or en, not '{ $value }'
error-too-long = { $parameter } must be at most { $max } characters
error-export-too-large = the search finds { $found } records, more than the { $max } an export of a search holds: narrow the search, or download the whole collection (/export/metadata.csv without parameters)
export-metadata = Download these results as metadata.csv (batch format)
export-authorities = with the authority files
export-jsonld = JSON-LD (schema.org)
# The JSON API's 404: no such record (or one the viewer may not see), or no such route.
error-api-not-found = Not found: no such record or address.
iiif-bad-request = The IIIF image request is malformed
iiif-not-implemented = This IIIF image feature is not offered here
iiif-date = Date
iiif-kind = Kind
iiif-village = Village
iiif-craft = Craft
iiif-creator = Creator
iiif-rights = Rights
iiif-manifest = IIIF manifest
iiif-open-elsewhere = Open in another IIIF viewer (Mirador)

views-newest = Showing the newest { $shown } of { $total } lines.
views-kind-heading = Seen as
# $kind: what a view-log line records (page, api, file, search; record for lines logged before kinds were kept).
views-kind =
    { $kind ->
        [page] its page
        [api] its API answer
        [file] a file
        [search] a search hit (title, snippet, thumbnail)
       *[record] its page or API answer
    }

## Fix round after the issue 13 review: second factor and admin powers.
account-error-own-account = An admin cannot change their own role or memberships or disable themselves; another admin must.
account-error-same-role = The account has this role already; nothing changed.
account-error-not-confirmed = Nothing changed: tick the box to confirm.
admin-disable-confirm = Confirm disabling
admin-membership-changes = Membership changes
admin-when = When
admin-by = By
admin-change = Change
admin-member-added = added to
admin-member-removed = removed from
admin-no-membership-changes = No membership has changed yet.
# A new password containing the login or the site's name (ASVS 5 V6.2.11).
account-error-password-contextual = The new password contains your login or the site's name (Disan); choose one that does not.

admin-sessions = Sessions
role-researcher = researcher
role-archivist = archivist
role-admin = administrator

## Fix round after the issue 13 review (helper fixsmall): odd form posts.
auth-form-unsupported-type = This form was not sent as a web form (Content-Type: application/x-www-form-urlencoded). Open the page on this site and send it again from there.
# $login: an account's login; $group: a group id.
admin-member-remove = Remove { $login } from { $group }
# $login: an account's login; $group: a group id.
admin-member-remove-confirm = Confirm removing { $login } from { $group }

# issue 14: voc-b
nav-artisans = Artisans
nav-products = Products
artisans-title = Artisans
artisans-lead = The people who keep the villages' crafts, with the titles awarded to them and their works in the archive.
artisans-none = No artisans in the archive yet.
artisan-born = Born
artisan-died = Died
artisan-works = Works and records
honours = Titles and honours
honours-none = No titles recorded.
honour-scheme = Scheme
honour-awarded-by = Awarded by
honour-decision = Decision
honour-date = Date
honour-scheme-decree-93-2023 = State title, intangible cultural heritage (Decree 93/2023/NĐ-CP)
honour-scheme-decree-62-2014 = State title, intangible cultural heritage (Decree 62/2014/NĐ-CP)
honour-scheme-decree-43-2024 = State title, handicrafts (Decree 43/2024/NĐ-CP)
honour-scheme-decree-123-2014 = State title, handicrafts (Decree 123/2014/NĐ-CP)
honour-scheme-association = Title of the Vietnam Craft Villages Association
honour-scheme-provincial = Provincial title
honour-scheme-other = Other honour
products-title = Products
products-lead = The craft villages' products, with their OCOP star ratings and certificates, valid or expired as of today in Vietnam.
products-none = No products in the archive yet.
product-producer = Producer
product-records = Records of this product
# $stars: 1 to 5.
ocop-stars = { $stars }-star OCOP
ocop-rating = OCOP rating
ocop-group = Product group
ocop-score = Score
# $score: 0 to 100.
ocop-score-value = { $score } out of 100 points
ocop-level = Recognised by
ocop-certificate = Certificate number
ocop-issued = Issued
ocop-validity = Validity
# $date: the last day of validity, in words.
ocop-valid-until = Valid until { $date }
# $date: the last day of validity, in words.
ocop-expired-on = Expired (valid until { $date })
ocop-uncertified = 1-star and 2-star products receive no OCOP certificate
ocop-source = Under Decision 148/QĐ-TTg of 24 February 2023, certificates for 3 to 5 stars are valid for 36 months.
ocop-group-food = Food
ocop-group-drinks = Drinks
ocop-group-herbal = Herbal products
ocop-group-handicrafts = Handicrafts
ocop-group-ornamental = Ornamental plants and animals
ocop-group-tourism = Community tourism, eco-tourism and tourist sites
ocop-level-commune = Commune
ocop-level-district = District
ocop-level-province = Province
ocop-level-national = National
activity-active = Active
activity-at-risk = At risk
activity-lost = Lost
activity-none = Not recorded
village-activity = Activity
village-recognised = Recognised
village-ocop-products = Product records
status-since = since
address-documented = Address as documented (before 1 July 2025)
address-current = Current address
record-artisans = Artisans
record-products = Products
# A month of the solar calendar: $month (1 to 12), $year.
month-label = { $month ->
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
status-history = Decree 52/2018/NĐ-CP class history
# $version: the archive version (v1, v2…); $date: the day it was archived, in words.
status-recorded = archived in version { $version } on { $date }

# issue 14: voc-d
facet-province = Province
facet-commune = Commune
facet-artisan = Artisan
facet-title = Artisan's title
facet-stars = OCOP stars
# $stars: a number of OCOP stars, 1 to 5.
facet-stars-value = { $stars ->
    [1] 1 star
   *[other] { $stars } stars
}
error-bad-stars = stars must be a number of OCOP stars from 1 to 5, not '{ $value }'
search-no-such-artisan = No record names an artisan called “{ $name }”, so the words were searched as typed.
search-no-such-product = No record shows a product called “{ $name }”, so the words were searched as typed.
search-no-such-province = No record is from a province called “{ $name }”, so the words were searched as typed.
search-no-such-commune = No record is from a commune called “{ $name }”, so the words were searched as typed.
query-bad-stars = Cannot read the stars “{ $value }”: write stars:4, stars:>=3, stars:3..5 or stars:[3 TO *] (1 to 5 stars)
query-no-such-stars = No OCOP product is rated “{ $value }” stars: OCOP ratings have 1 to 5 stars, so there are no results. Write stars:4, stars:>=3 or stars:3..5.
# An example of each issue-14 field, as typed in the search box ($field: its English name).
query-vocabulary-example = { $field ->
    [artisan] artisan:"artisan's name"
    [product] product:"trống da trâu"
    [stars] stars:>=3
    [commune] commune:"Mộc Nam"
   *[province] province:"Hà Nam"
}
error-bad-format = format must be html or csv, not '{ $value }'
nav-province = Province figures
province-title = The province's craft villages in figures
province-intro = Counted from the archive on { $today } (Vietnam time), from what you may see only.
province-public-only = You are not signed in: these are the public figures.
province-download = Download as CSV
province-villages-by-class = Craft villages by Decree 52/2018/NĐ-CP class
province-villages-by-activity = Craft villages by activity
province-artisans-by-title = Artisans by title
province-products-by-stars = OCOP products by stars
# $until: the last day of the window, YYYY-MM-DD.
province-expiring = OCOP certificates ending within 6 months (by { $until })
province-expiring-none = No certificate ends within the next 6 months.
# $count: how many certificates have ended.
province-expired = Certificates already ended: { $count }
province-records-by-village = Records by village
province-records-by-kind = Records by kind
province-col-class = Class
province-col-activity = Activity
province-col-title = Title
province-col-stars = Stars
province-col-village = Village
province-col-kind = Kind
province-col-product = Product
province-col-expires = Valid until
province-col-villages = Villages
province-col-artisans = Artisans
province-col-products = Products
province-col-records = Records
province-no-title = No title
province-unrated = Not rated
province-no-village = No village
# $records, $villages, $artisans, $products: counts.
province-totals = { $records } records, { $villages } craft villages, { $artisans } artisans, { $products } products.

# issue 14: voc-c
map-lost = craft lost
map-legend-lost = Village whose craft is lost (crossed ring; colour still gives its class)
# $count: villages drawn as one numbered circle; $names: their names, joined by commas.
map-bunch = { $count } villages close together — { $names }; listed below the map
map-legend-bunch = Numbered circle: villages close together (the number says how many), listed below the map
map-groups = Villages close together on the map
# $count: villages in one numbered circle of the map.
map-group = { $count } villages close together
# $count: villages on the map whose name has no room beside their dot.
map-unlabelled = { $count ->
        [one] One village has no room for its name on the map; its dot is still a link, and it is in the list below.
       *[other] { $count } villages have no room for their names on the map; their dots are still links, and they are in the list below.
    }
visit-stops = Stops
visit-no-stops = This visit has no stops yet.
visit-not-drawn = (not located yet, so not drawn on the map)
visit-route = Route
visit-route-title = Route of the visit
visit-route-desc = The located stops, numbered as in the list of stops and joined by a line in order.
visit-route-caption = Each numbered circle is a stop, in the order of the list; the line shows the order, not the road.
visit-route-none = The route cannot be drawn: none of the stops has coordinates yet. The stops are listed above.
# $count: stops without coordinates; $numbers: their numbers, joined by commas.
visit-route-missing = { $count ->
        [one] Stop { $numbers } has no coordinates yet, so it is not drawn.
       *[other] Stops { $numbers } have no coordinates yet, so they are not drawn.
    }
visit-festivals = Festivals coming up at the stops
# $days: the window in days; $today: today's date as written.
visit-festivals-lead = Festivals of the villages on the route in the next { $days } days, from today ({ $today }, Vietnam time).
visit-no-festivals = No festival is held at the stops in that time.
# $days: days from today.
visit-festival-in-days = { $days ->
        [0] today
        [one] in 1 day
       *[other] in { $days } days
    }

## The archivists' workspace (issue 15).
workspace-edit = Edit
workspace-history = History
workspace-edit-title = Edit record { $record }
workspace-history-title = History of record { $record }
workspace-field = Field
workspace-vietnamese = Vietnamese
workspace-english = English
workspace-other-fields = Other fields
workspace-add-value = new value
workspace-body = Text (Markdown)
workspace-message = What changed
workspace-message-hint = Required: a few words on what changed and why; kept with the new version.
workspace-save = Save as a new version
workspace-based-on = This form was made from version { $version }.
workspace-edtf-help = Dates are written in EDTF: 1998 (a year), 1998-05 (a month), 1998-05-14 (a day), 199X (the 1990s), 1998? (uncertain), 1998~ (approximate), 1990/1999 (from one year to another).
workspace-errors = Nothing was saved: the form has errors, written beside each field.
workspace-warnings = Note
workspace-message-required = Write a few words on what changed and why.
workspace-message-characters = The message holds a control or invisible character (such as a direction override): write it as plain text.
workspace-busy = An ingest is writing the archive; nothing was saved, try again in a minute.
workspace-vietnam-time = Vietnam time, UTC+7
workspace-restore-changes-access = Restoring { $version } also changes who may see the record: { $then } in { $version }, { $now } now. Check this before restoring.
workspace-no-base = Nothing was saved: the form does not say which version it was made from (it may have been altered by hand). It is shown again from the current version: check every field, then save again.
workspace-conflict = Nothing was saved: someone else changed the record from { $base } to { $head } after this form was made. Both changes are below; the form is now version { $head } with your changes laid over it, so saving it keeps both (where you both changed a field, yours).
workspace-conflict-theirs = The other change ({ $base } → { $head })
workspace-conflict-yours = Your change (from { $base })
workspace-saved = Version { $version } saved.
workspace-unchanged = Nothing changed, so no version was written.
workspace-version = Version
workspace-when = When
workspace-who = Who
workspace-why = Why
workspace-changes = Changes
workspace-first-version = The first version.
workspace-no-change = Description and files unchanged.
workspace-current = current version
workspace-restore = Restore { $version }
workspace-restored = Restored { $version }
workspace-restore-message = Message for restoring { $version }
workspace-withdraw = Withdraw the record from every page
workspace-withdraw-hint = A withdrawn record is shown nowhere (pages, search, API, sitemaps, files), not even to signed-in people; the archive keeps every version.
workspace-reinstate = Reinstate the record
workspace-reason = Reason
workspace-withdrawn = The record is withdrawn: { $reason } ({ $by }, { $at }).
workspace-field-added = added
workspace-field-removed = removed
workspace-field-changed = changed
workspace-before = before
workspace-after = after
workspace-file-added = file added
workspace-file-removed = file removed
workspace-file-changed = file content changed
workspace-already-withdrawn = The record is withdrawn already.
workspace-not-withdrawn = The record is not withdrawn.
workspace-withhold = Withhold this version from the public
workspace-withhold-hint = A withheld version is a page not found for everyone but archivists (its page, its English page, its citation files); the current version is unaffected and the archive keeps every version.
workspace-withhold-reason = Why { $version } must not be public
workspace-withheld = { $version } is withheld from the public: { $reason } ({ $by }, { $at }).
workspace-release = Publish again
workspace-release-reason = Why { $version } may be public again
workspace-withhold-head = The current version cannot be withheld: edit or withdraw the record instead.
workspace-restore-withheld = This version cannot be restored: it holds text removed from an earlier version withheld from the public. Publish that version again first.
workspace-withheld-text = this text was removed from an earlier version withheld from the public; it cannot come back while that version is withheld (publish that version again first, or write it otherwise)
workspace-already-withheld = This version is withheld already.
workspace-not-withheld = This version is not withheld.
workspace-add-field = Add a field
workspace-add-field-hint = A column name as in a batch sheet (dc.creator, dc.rights@en, dc.spatial…) and its value.
workspace-withdrawn-title = Withdrawn records
workspace-record = Record
workspace-none-withdrawn = No record is withdrawn.
workspace-edit-village = Edit village { $id }
workspace-edit-craft = Edit craft { $id }
workspace-edit-artisan = Edit artisan { $id }
workspace-edit-product = Edit product { $id }
workspace-history-village = History of village { $id }
workspace-history-craft = History of craft { $id }
workspace-history-artisan = History of artisan { $id }
workspace-history-product = History of product { $id }
workspace-public-page = Public page
workspace-authority-file = Each field is a column of { $file } (the id { $id } is not changed here); the rules and messages are ingest's.
workspace-day-help = One day written YYYY-MM-DD (2025-06-01).
workspace-list-help = Several values are separated by semicolons (;), as in the file.
workspace-honours = Honours (metadata/honours.csv)
workspace-honours-hint = Each honour is a row of honours.csv: title, scheme (decree-93-2023, decree-62-2014, decree-43-2024, decree-123-2014, association, provincial, other), awarded_by, decision, date (EDTF).
workspace-honour = Honour { $number }
workspace-honour-new = Add an honour
workspace-honour-remove = Remove this honour
workspace-title = Workspace
workspace-filters = Filters
workspace-words = Words
workspace-access = Access
workspace-all = All
workspace-kind = Kind
workspace-village = Village
workspace-since = Changed since
workspace-problems = Problems
workspace-sort = Order
workspace-newest-first = Latest change first
workspace-oldest-first = Oldest change first
workspace-apply = Show
workspace-found =
    { $count ->
        [one] One record.
       *[other] { $count } records.
    }
workspace-changed = Last changed
workspace-actions = Actions
workspace-files-badge = files: { $rule }
workspace-unreadable =
    { $count ->
        [one] One archive object could not be read; `disan verify` says which.
       *[other] { $count } archive objects could not be read; `disan verify` says which.
    }
workspace-filter-ignored = The filter { $field } = “{ $value }” means nothing here and was left out.
workspace-access-public = Public
workspace-access-researchers = For researchers
workspace-access-restricted = Restricted
workspace-access-community = A community's
workspace-access-withdrawn = Withdrawn
workspace-problem-any = Any problem
workspace-problem-no-description = No description
workspace-problem-no-village = No village
workspace-problem-no-english-title = No English title
workspace-problem-failed-preview = No preview could be made
workspace-audit = Audit log
workspace-audit-title = Audit log (PREMIS events)
workspace-audit-of = Audit log of record { $record }
workspace-audit-hint = Every event of the archive's preservation log: who or what did it, when, with what outcome. The log travels with the archive (each object's premis.xml, and extensions/disan-premis/ for fixity checks and purges); `disan audit` prints the same events.
workspace-event-type = Event
workspace-agent = Agent
workspace-from = From
workspace-until = Until
workspace-outcome = Outcome
workspace-object = Object
workspace-detail = Detail
workspace-export-csv = Export as CSV
workspace-export-json = Export as JSON
workspace-events-found =
    { $count ->
        [one] One event.
       *[other] { $count } events.
    }
workspace-event-ing = ingestion
workspace-event-mem = metadata modification
workspace-event-mes = message digest calculation
workspace-event-for = format identification
workspace-event-val = validation
workspace-event-fix = fixity check
workspace-event-poa = policy assignment (access)
workspace-event-dea = deaccession (withdrawal)
workspace-event-acc = accession (reinstatement)
workspace-event-del = deletion (purge)
workspace-outcome-suc = success
workspace-outcome-war = warning
workspace-outcome-fai = failure
workspace-agent-per = person
workspace-agent-sof = software

## OAI-PMH (/oai): set names and error messages, written "Tiếng Việt / English" in responses.
oai-set-kinds = Kinds of record
oai-bad-verb = The verb argument is missing, repeated, or not one of OAI-PMH's six verbs.
oai-argument-missing = The required argument { $name } is missing.
oai-argument-repeated = The argument { $name } is given more than once.
oai-argument-unknown = This verb takes no argument { $name }.
oai-argument-malformed = The value of the argument { $name } is not of its form.
oai-token-not-alone = resumptionToken must be sent alone (with verb only).
oai-from-after-until = The from date is later than the until date.
oai-mixed-granularity = from and until must have the same granularity: both days (YYYY-MM-DD), or both to the second (YYYY-MM-DDThh:mm:ssZ).
oai-bad-resumption-token = The resumptionToken is not valid: damaged, altered, or another verb's.
oai-cannot-disseminate-format = This repository offers the oai_dc format only.
oai-id-does-not-exist = This repository has no item with that identifier.
oai-no-records-match = No record matches this selection.

## Uploads in the workspace (issue 15, upload).
upload-title = Upload files
upload-limit = One file may hold at most { $max }. An unfinished upload is kept { $hours } hours after it last received data, so a dropped connection can resume where it stopped; you may have { $count } unfinished uploads at once.
upload-choose = Files to upload
upload-start = Upload
upload-needs-script = Resumable upload needs JavaScript in this browser.
upload-yours = Your uploads
upload-none = You have no uploads.
upload-file = File
upload-received = Received
upload-expires = Kept until
upload-done = complete
upload-progress = Upload progress
upload-js-failed = failed
upload-js-resuming = connection lost, resuming
# $max: a size in words.
upload-js-too-large = too large: at most { $max }; nothing was sent
# $size, $max: sizes in words (20 GiB).
upload-too-large = The file is too large: it is { $size }, and one upload may hold at most { $max }. Nothing was sent.
# $count: number of uploads; $bytes: a size in words.
upload-quota = You have too many unfinished uploads: at most { $count }, and at most { $bytes } still to send. Finish or cancel some first.
upload-not-found = There is no such upload; an unfinished upload is removed when it received nothing for a day. Start it again.
upload-busy = This upload is still receiving data from an earlier request; try again in a few seconds.
upload-disk-full = The server's disk is full: the upload stopped. What arrived is kept; tell an administrator.
upload-failed = The server could not store the upload; what arrived is kept. Try again, or tell an administrator.
# $version: the protocol version.
upload-version = This server speaks the tus resumable upload protocol, version { $version } (header Tus-Resumable).
upload-no-length = Say how large the file is (header Upload-Length).
upload-bad-metadata = The upload's description (header Upload-Metadata) is not readable: pairs of a name and Base64 text.
upload-content-type = Send the file's bytes as application/offset+octet-stream.
upload-no-offset = Say where these bytes go (header Upload-Offset).
# $claimed, $offset: byte counts.
upload-wrong-offset = These bytes were sent for offset { $claimed }, but the server has received { $offset } bytes: ask where to resume (HEAD) and send from there.
# $length: a size in words.
upload-past-length = More bytes were sent than the file's announced size ({ $length }); the extra bytes were not kept.
upload-past-length-nothing-kept = This request announced more bytes than the file's announced size ({ $length }), so none of its bytes were kept: the upload is still at byte { $offset }. Send the rest of the file, no more.
upload-batch-hint = A batch is a folder as `disan ingest` reads it: its files and metadata/metadata.csv. Choose the folder (or its files), upload, then make a batch of the uploads: it is checked first, and nothing enters the archive until you confirm.
upload-choose-folder = A whole folder (a batch)
upload-in-batch = In the batch
upload-make-batch = Check these uploads as a batch
batch-list = Your batches
batch-none = You have no batches.
batch-name = Batch
batch-state = State
batch-state-checked = checked, waiting for your confirmation
batch-state-queued = confirmed, waiting for another ingest to end
batch-state-waiting = confirmed, waiting for another process writing the archive
batch-state-ingesting = being ingested
batch-state-done = ingested
batch-state-failed = failed
# $done, $total: numbers of records.
batch-interrupted = The ingest of this batch stopped with the server before it ended ({ $done } of { $total } records were stored; the archive is valid). Confirm again to ingest the rest: the records already stored come out unchanged.
# $name: the batch folder's name.
batch-title = Batch { $name }
batch-progress = Ingest progress
# $done, $total: numbers of records.
batch-count = { $done } of { $total } records
batch-reload = Reload this page to see the progress
batch-checked = Check (nothing has been written yet)
batch-report = Ingest report
# $added, $updated, $unchanged, $errors: numbers.
batch-summary = Records added: { $added }, updated: { $updated }, unchanged: { $unchanged }; errors: { $errors }.
batch-problems = Problems, by file, row (as a spreadsheet shows it) and column
batch-severity = Severity
batch-row = Row
batch-column = Column
batch-problem = Problem
batch-error = error
batch-warning = warning
batch-no-problems = No problems.
batch-added = Records added
batch-updated = Records updated
batch-confirm-hint = Rows with errors are left out; the rest goes into the archive as listed above. To fix a row, correct the sheet above and check again (or correct it in a spreadsheet and upload the batch again).
# $path: the sheet's path in the batch.
batch-sheet = Correct the sheet ({ $path })
batch-sheet-hint = The batch's sheet as it was uploaded, one row a line, columns separated by commas. Correct the rows named above, then check again: nothing enters the archive until you confirm.
batch-sheet-save = Save the sheet and check again
batch-confirm = Confirm: ingest this batch
batch-refused = Nothing was staged:
batch-sheet-too-large = The corrected sheet { $path } is { $size }: a sheet corrected on this page holds at most { $max }. Nothing was changed; correct a sheet this large in a spreadsheet and upload the batch again.
# $finished, $unconfirmed, $ingested: whole days.
upload-lifetimes = The staging area keeps files for stated times: a finished upload not made a batch, { $finished } days after it finished; a batch checked but not confirmed (or whose ingest failed), { $unconfirmed } days after its last check or run; an ingested batch's files, { $ingested } days after its ingest ended, while its report is kept for good. Then the staged files are removed; nothing in the archive is ever removed by this.
upload-cancel-column = Cancel
upload-cancel = Cancel
# $name: the upload's file name or path.
upload-cancelled = The upload { $name } was cancelled: its file was removed.
batch-state-cancelled = cancelled, its files removed
batch-state-expired = expired without confirmation, its files removed
# $when: a date and time (UTC).
batch-cancelled = You cancelled this batch ({ $when }): its uploaded files were removed from the staging area. Cancelling changed nothing in the archive. The check's report below is kept.
# $when: a date and time (UTC).
batch-expired = This batch was not confirmed in time, so its uploaded files were removed ({ $when }). The archive did not change. The check's report below is kept; to ingest it, upload the batch again.
# $when: a date and time (UTC).
batch-files-removed = This batch's uploaded files were removed from the staging area ({ $when }); the report below is kept, and what entered the archive stays there.
# $when: a date and time (UTC).
batch-files-until = This batch's uploaded files are kept in the staging area until { $when }.
batch-rerun-hint = The ingest of this batch failed (why is said above). Once the cause is fixed, run it again: the records already stored come out unchanged.
batch-rerun = Run again: ingest this batch
batch-rerun-missing-hint = The ingest ended, but these records its check planned were not archived (why is in the report above). Once the cause is fixed, run the batch again: the records already stored come out unchanged. Not archived:
batch-cancel-hint = Cancelling removes this batch's uploaded files from the staging area; nothing in the archive changes.
batch-cancel = Cancel this batch
batch-conflict-done = This batch was ingested already: a batch is never ingested twice. To ingest its files again, upload them as a new batch.
batch-conflict-running = This batch is confirmed and being ingested (or waiting to be): it cannot be confirmed again, corrected or cancelled now.
batch-conflict-removed = This batch's uploaded files were removed (it was cancelled or expired): it can no longer be confirmed, corrected or cancelled. Upload the files as a new batch.
batch-conflict-failed = The ingest of this batch failed: its sheet can no longer be corrected here. Run it again, or cancel it and upload a corrected batch.


## Ngày EDTF (dates in dc.date and other date columns, issue 15)
edtf-error = "{ $input }": { $problem }
edtf-part-year = year
edtf-part-month = month
edtf-part-day = day
edtf-empty = no date given; write it like 2020-08-27, 2019, 1990/1999, 1930~, 1930? or 193X
edtf-not-edtf = not an EDTF date; write it like 2020-08-27, 2019, 1990/1999, 1930~, 1930? or 193X
edtf-range-needs-slash = write a range with a slash, like { $suggestion }
edtf-needs-hyphens = separate year, month and day with hyphens, like { $suggestion }
edtf-long-year-needs-y = a year with more than four digits starts with Y, like { $suggestion }
edtf-short-year-with-y = only years with more than four digits start with Y; write { $suggestion }
edtf-year-too-far = year { $year } is too far from the present to be stored
edtf-negative-zero = year zero has no minus sign; write 0000
edtf-year-digits-x = only the last one or two digits of a year can be X, like 193X or 19XX
edtf-known-after-x = a known { $part } cannot follow an unspecified { $after }; write the { $part } as XX too
edtf-month-does-not-exist = month { $month } does not exist
edtf-month-or-season-does-not-exist = month { $month } does not exist; use 01 to 12 for a month, or 21 (spring) to 24 (winter) for a season
edtf-season-with-day = a season (21 to 24) cannot have a day
edtf-day-zero = day 00 does not exist
edtf-day-beyond-month = { $month } { $year } has { $days } days
edtf-time-needs-day = a time of day needs a full date before it, like 2020-08-27T10:30:00
edtf-qualified-time = a date with a time of day cannot be marked ?, ~ or %
edtf-field-hour = hour
edtf-field-minute = minute
edtf-field-second = second
edtf-time-field = { $field } { $value } does not exist
edtf-time-zone = time zone { $zone } does not exist; write Z, or an offset like +07:00
edtf-interval-without-date = an interval needs a date on at least one side, like 1990/.. or /1999
edtf-backwards = the interval starts ({ $start }) after it ends ({ $end }); put the earlier date first
edtf-month-1 = January
edtf-month-2 = February
edtf-month-3 = March
edtf-month-4 = April
edtf-month-5 = May
edtf-month-6 = June
edtf-month-7 = July
edtf-month-8 = August
edtf-month-9 = September
edtf-month-10 = October
edtf-month-11 = November
edtf-month-12 = December

## Nhập: ô của bảng tính (ingest: cells of metadata.csv and the edit form, issue 15)
ingest-column-may-mean-access = '{ $header }' is not a column Disan knows, and it may say who may see the record: { $hint }
ingest-second-lunar-date = a second lunar date '{ $value }' after '{ $first }': the festival calendar shows one date a record; keep one, or describe each festival day as a record of its own
ingest-column-only-once = this column may appear only once
ingest-stop-not-visit = stop is for visits: write kind: visit (or take the stops away)
ingest-too-many-stops = a visit has at most { $limit } stops; this one has { $count }: split it into several visits
ingest-visit-without-stop = a visit with no stop: its page lists no place to go; add stop: village:<id> or record:<id>, one per stop
ingest-files-access-wider = files_access { $files } is wider than access { $access }: files are never seen by more people than the record, so they follow access
ingest-access-says = access says { $access }
ingest-access-not-stated = access is not stated
ingest-access-not-stated-public = access is not stated, so it is public
ingest-access-word-outside-access = '{ $header }' says '{ $word }', an access level, but { $access }: write public, researchers, restricted or community:<group-id> in the access column
ingest-access-rights-restrict-no-one = '{ $header }' is shown as descriptive text and restricts no one ({ $access }): if it means that only some people may see the record, write public, researchers, restricted or community:<group-id> in the access column
ingest-a-community-protocol = a community protocol
ingest-a-community-group-id = the id of a community group
ingest-protocol-outside-rules = '{ $header }' holds '{ $value }', { $what }, but only the access column says who may see the record (files_access, who may see its files): write community:<group-id> in access (or files_access), and leave it out of '{ $header }'
ingest-need-without-rule = a need is given but no { $name }: write the communities in the { $name } column
ingest-authority-row-refused = { $what } '{ $id }' is not in the archive and its row ({ $file }, row { $row }) was refused: correct that row, then ingest the batch again
ingest-authority-refused = { $what } '{ $id }' is not in the archive and its row ({ $file }) was refused: correct that row, then ingest the batch again
ingest-authority-unknown = unknown { $what } '{ $id }': it is neither in the archive nor in the batch's { $file }
ingest-word-village = village
ingest-word-craft = craft
ingest-word-artisan = artisan
ingest-word-product = product
ingest-authority-ambiguous = '{ $text }' could be any of the { $what }s { $ids }; write the id instead
ingest-rename-hint-need = did you mean { $meant }? Name it { $meant } (values: any or all: whether a viewer must belong to any or to all of the communities)
ingest-rename-hint = did you mean { $meant }? Name it { $meant } (values: public, researchers, restricted, community:<group-id>)
ingest-cell-too-long-text = the cell holds { $size } bytes, over the limit of { $limit } bytes for a description (a longer text belongs in a Markdown record's body): shorten it; the row is not ingested until it is fixed
ingest-cell-too-long-name = the cell holds { $size } characters, over the limit of { $limit } characters for a name, title, id or keyword: shorten it; the row is not ingested until it is fixed
ingest-cell-too-long-list = the cell holds { $size } characters, over the limit of { $limit } characters for a list, path or note: shorten it; the row is not ingested until it is fixed

ingest-group-does-not-exist = community:{ $id } names the group '{ $id }', which does not exist: an administrator creates groups; check the spelling, or ask for the group to be created first
ingest-group-not-in-database = community:{ $id } names the group '{ $id }', which the accounts database { $database } does not hold: create the group first with `{ $create }`, then ingest it again
ingest-no-accounts-database = community:{ $id } names the group '{ $id }', but there is no accounts database at { $database } (--accounts, DISAN_ACCOUNTS): create the group first with `{ $create }`, which creates the database, then ingest it again
ingest-tag-empty = ends in '@' without a language
ingest-tag-other-language = is tagged with the language '{ $tag }'
ingest-column-language = '{ $header }' { $what }, but Disan keeps values in Vietnamese (no tag, or @vi) and English (@en, @en-GB…); tag the column with one of them
ingest-column-lunar-date = '{ $header }' is not a column Disan knows; did you mean lunar_date (a festival's day in the lunar calendar, like 1-7)? Name the column lunar_date
ingest-files-rule-in-text = '{ $header }' is for a record's files, but a Markdown text has none apart from itself, and its body is the record's description, shown to whoever may see the record: write the rule in access (access: { $value }), and leave out { $header }

ingest-not-dublin-core = '{ $header }' is not a Dublin Core term; its values are kept but not shown
ingest-dublin-core-colon = '{ $header }' was read as the column { $column } (Disan writes Dublin Core columns with a dot)
ingest-read-as-column = '{ $header }' was read as the column { $canonical }
ingest-location-column = '{ $header }' holds locations; its values are kept in the archive but not published
ingest-unknown-column-did-you-mean = '{ $header }' is not a column Disan knows (did you mean dc.{ $term }?); its values are kept as written and shown with the record, and say nothing about who may see it
ingest-unknown-column = '{ $header }' is not a column Disan knows; its values are kept as written and shown with the record, and say nothing about who may see it

## Biểu mẫu sửa hồ sơ (the edit forms: their own rules, issue 15)
workspace-form-describes-nothing = the form describes nothing ingest would take
workspace-form-filename = a record's files are not renamed here; filename is not a field of the form
workspace-form-unknown-field = '{ $name }' is not a field of a record: use the fields the form shows (a batch's metadata.csv columns)
workspace-form-too-many-values = { $count } values, over the limit of { $limit } for one field: keep the ones that describe the record
workspace-form-access-required = say who may see the record: public, researchers, restricted or community:<group-id>
workspace-form-title-required = a record needs a title (dc.title, or dc.title@en in English)

## Nhập: bảng tính metadata.csv (ingest: reading the sheet, issue 15)
ingest-nothing = {""}
ingest-file-empty = the file is empty
ingest-sheet-other-separator = ; the sheet seems separated by '{ $other }': save it again as CSV with commas, semicolons or tabs between the columns
ingest-header-below = ; the header is row { $row }: it must be the first row, so delete the rows above it
ingest-first-column-not-filename = the first column must be 'filename' (the path of the described file or folder, relative to the batch), but row { $row } begins with '{ $first }'{ $separated }{ $header_at }
ingest-unknown-rule-column = the column '{ $name }' is not one Disan knows, and it may say who may see the files: { $hint }, or remove it; nothing in the batch was ingested
ingest-row-repeats-header = this row repeats the header; it was skipped
ingest-second-header = this row is a header with other columns than row { $row } (two sheets pasted together?), so the rows below it cannot be read with certainty; make one sheet with one header; nothing in the batch was ingested
ingest-an-access-level = an access level
ingest-a-need = a need
ingest-row-rule-shifted = , and an earlier cell holds { $what } while the { $name } cell is missing (a cell left out, or a quote left open?)
ingest-row-stray-comma = {" "}(a stray comma, or a quote left open?)
ingest-one-cell = { $count } cell
ingest-cells = { $count } cells
ingest-row-too-many-cells = the row has { $cells } but the header names { $columns } columns{ $why }; nothing it may describe is ingested until it is fixed
ingest-separated-by-semicolons = the columns are separated by semicolons (as Excel saves CSV in a Vietnamese or European locale); the sheet was read that way
ingest-separated-by-tabs = the columns are separated by tabs (as Excel saves 'Text (tab delimited)'); the sheet was read that way

## Nhập: dòng và tệp của lô (ingest: rows, files and the batch, issue 15)
ingest-row-number = row { $row }
ingest-rows-numbers = rows { $rows }
ingest-cell-swallowed-path = this cell holds line breaks followed by the batch path { $paths }: a quote was probably left open and swallowed the rows that described it; nothing this row may describe is ingested until it is fixed
ingest-cell-swallowed-paths = this cell holds line breaks followed by the batch paths { $paths }: a quote was probably left open and swallowed the rows that described them; nothing this row may describe is ingested until it is fixed
ingest-described-twice = '{ $target }' is described by { $rows }; keep one row for it
ingest-rows-claim-same-files = { $rows } claim the same files ({ $each }): a file belongs to one record only, so none of them is ingested; describe the folder or the files in it, not both
ingest-filename-empty = the filename is empty
ingest-never-ingested = '{ $target }' is never ingested ({ $reason }); rename it, or move it out of that folder
ingest-cannot-be-ingested = '{ $target }' cannot be ingested: { $reason }
ingest-no-such-path-did-you-mean = there is no file or folder '{ $target }' in the batch; did you mean { $paths }? Nothing it may describe is ingested until it is fixed
ingest-no-such-path = there is no file or folder '{ $target }' in the batch
ingest-path-in-doubt = not ingested: '{ $path }' may also be described by { $rows } of { $sheet }, which could not be read with certainty; fix that row and ingest again
ingest-path-claimed = '{ $path }' already belongs to the record of another row
ingest-file-row-unusable = not ingested: { $rows } of { $sheet } may describe this file but could not be used (see the error there); fix it and ingest again
ingest-file-rows-unusable = not ingested: { $rows } of { $sheet } may describe this file but could not be used (see the errors there); fix them and ingest again
ingest-file-row-names-nothing = not ingested: { $rows } of { $sheet } names no file of the batch, and one may have been meant for this file; correct the filename column and ingest again
ingest-file-rows-name-nothing = not ingested: { $rows } of { $sheet } name no file of the batch, and one may have been meant for this file; correct the filename column and ingest again
ingest-file-outside-objects = not ingested: it lies outside { $objects }/ and no row of { $sheet } describes it; name it in the filename column or move it into { $objects }/ to ingest it
ingest-authority-file-out-of-place = '{ $name }' is named like an authority file, which is never ingested as material (it may list restricted rows): Disan reads it only as { $metadata }/{ $authority } (the batch's metadata.csv then goes in { $metadata }/ too, and the material in { $objects }/); move it there, or rename it if it is material; the file was not ingested
ingest-name-not-unicode = the file name is not valid Unicode; rename it
ingest-symbolic-link = a symbolic link; copy the file itself into the batch
ingest-not-regular-file = not a regular file (a named pipe, socket or device); it has no content to ingest
ingest-name-two-unicode-forms = not ingested: this name is written in two Unicode forms by two different files ({ $spelt }), as Windows and macOS spell accents differently; rename or merge them and ingest again
ingest-folder-two-unicode-forms = not ingested: its folder '{ $path }' is written in two Unicode forms by two different folders ({ $spelt }), as Windows and macOS spell accents differently; rename or merge them and ingest again
ingest-path-leaves-batch = '{ $path }' leads outside the batch; write a path relative to the batch folder, without '..'
ingest-path-not-relative = '{ $path }' is not a relative path

ingest-empty-file-taken = the file is empty (0 bytes); taken because its row says kind '{ $kind }'
ingest-empty-file-not-kind = the file is empty (0 bytes), so it cannot be a { $kind }; copy it again from the original
ingest-empty-file = the file is empty (0 bytes), probably from a failed copy; copy it again, or say its kind in metadata.csv if an empty file is meant
ingest-kind-only-texts = its row says kind '{ $kind }', but the record holds only { $found } (no { $kind } was handed over); kept as described
ingest-kind-not-found = its row says kind '{ $kind }', but no file of the record holds one (found: { $found })
ingest-copy-of-refused = not ingested: it holds the same bytes as '{ $original }', which was not ingested; a copy of a file held back is held back too
ingest-bytes-moved = not ingested: record '{ $holder }' held these bytes, but this batch gives it a new version without them; describe this file in metadata.csv (with its access) to keep it as a record of its own
ingest-not-stored-again = not stored again: the archive already holds this content as record '{ $holder }'
ingest-copy-of-restricted = not ingested: it holds the same bytes as record '{ $holder }', whose access is { $access }; nothing describes this copy, so it would be public: describe it in metadata.csv with its access
ingest-same-content-described = the same content is also record '{ $holder }'; kept as a record of its own with its own description
ingest-same-content-with-others = the same content is also record '{ $holder }'; kept here too because this record has other files
encoding-not-utf8-at = is not UTF-8 (byte 0x{ $byte } at line { $line }, column { $column }); it looks like { $likely }. { $remedy }
encoding-not-utf8 = is not UTF-8; it looks like { $likely }. { $remedy }
encoding-utf16-le = UTF-16 (little-endian)
encoding-utf16-be = UTF-16 (big-endian)
encoding-utf32-le = UTF-32 (little-endian)
encoding-utf32-be = UTF-32 (big-endian)
encoding-windows-1258 = Windows-1258 (Vietnamese)
encoding-tcvn3 = TCVN3 (ABC)
encoding-vni = VNI-Windows
encoding-unknown = an unknown 8-bit encoding
encoding-remedy-wide = Save it as UTF-8 (in Excel: "CSV UTF-8", not "Unicode Text") and ingest again
encoding-remedy-font = Convert it to Unicode first (for example with UniKey's converter), then save it as UTF-8 and ingest again
encoding-remedy = Save it as UTF-8 (in Excel: "CSV UTF-8") and ingest again

ingest-kin-folder = it lies in the folder '{ $folder }', named like that record
ingest-kin-same-bytes = '{ $beside }' beside it holds the same bytes as that record
ingest-kin-id-prefix = its record id '{ $id }' begins with that record's id
ingest-kin-unreadable = a description that cannot be read
ingest-kin-rule = { $column } { $rule }
ingest-kin-refused = not ingested: no row gives its access, so it would be a new public record '{ $id }', but it seems to belong with record '{ $kin }', which has { $access } ({ $why }); give it a row in metadata.csv with its access (the record's own, or public if it is meant for everyone)
ingest-batch-holds-sheets = the batch holds { $count } metadata sheets ({ $names })
ingest-batch-holds-sheet = the batch holds the metadata sheet { $names }
ingest-one-sheet-only = nothing in the batch was ingested: { $why }, but Disan reads exactly one, metadata/metadata.csv (or metadata.csv at the batch root), saved as CSV UTF-8; keep one sheet there with that name, so that no row in another is passed over
ingest-unread-sheet = { $path } is not read: Disan reads metadata/metadata.csv; rename it, or move it into objects/ to archive it as a file; nothing in the batch was ingested, since rows in it may say who may see the files
ingest-sheet-unusable = nothing in the batch was ingested because { $file } cannot be used (see the error there); fix it and ingest again
ingest-file-row = { $file } row { $row }
ingest-joins-record = no row describes it, so it joins the record of '{ $source }' ({ $row }): same name, another format (a master and its access copy are one record)

ingest-id-used-twice = record id '{ $id }' is already used by '{ $previous }' in this batch; give one of them a dc.identifier
ingest-content-not-extension = the content is { $format } ({ $mime }) but the name ends in .{ $extension }

ingest-record-access-changes = access changes from { $old } to { $new } for record '{ $id }', as stated
ingest-record-files-access-changes = files_access changes from { $old } to { $new } for record '{ $id }', as stated
ingest-record-withdrawn = record '{ $id }' is withdrawn ({ $reason }, by { $by } on { $at }): its new version stays withdrawn, on no page; reinstate it in the archivists' workspace to show it again
ingest-record-drops-file = record '{ $id }' no longer holds { $files } in its new version (earlier versions of the archive keep it)
ingest-record-drops-files = record '{ $id }' no longer holds { $files } in its new version (earlier versions of the archive keep them)
ingest-archive-keeps-record = ; the archive keeps record '{ $id }' as it was, with access { $access }
ingest-problem-with-note = { $problem }{ $note }
## Giá trị của trường (values of catalogue fields: ids, keywords, access, issue 15)
model-record-id = record id
model-village-id = village id
model-craft-id = craft id
model-group-id = group id
model-artisan-id = artisan id
model-product-id = product id
model-a-kind = a kind
model-a-role = a role
model-a-village-activity = a village activity
model-a-decree-52-status = a Decree 52/2018 status
model-an-ocop-product-group = an OCOP product group
model-an-ocop-level = an OCOP level
model-an-honour-scheme = an honour scheme
model-invalid-id-dotted = '{ $text }' is not a valid { $what }: use 1 to 100 letters a-z, digits and '-', '.' or '_' (no spaces)
model-invalid-id = '{ $text }' is not a valid { $what }: use 1 to 100 letters a-z, digits and '-' (no spaces)
model-not-one-of = '{ $text }' is not { $what }; use one of: { $words }
model-not-a-need = '{ $text }' is not a need; use one of: any, all
model-no-valid-community = '{ $trimmed }' names no valid community: { $why }
model-not-an-access-level = '{ $trimmed }' is not an access level; use one of: { $words }
model-access-level-with-others = '{ $value }' cannot be given with other access values ({ $values }): only community values may be repeated, and a record is either { $level } or for communities
model-not-a-sha256 = '{ $text }' is not a SHA-256 digest (64 hex digits)
model-need-without-communities = a need ('{ $need }') is only for community access values, but the access is { $level }
model-no-access-value = no access value is given; use one of: { $words }
model-not-a-stop = '{ $text }' is not a stop: write village:<village id> (a village of metadata/villages.csv) or record:<record id> (a workshop's or festival's record)

lunar-not-a-date = '{ $quoted }' is not a lunar date: { $problem }
lunar-examples = write the month, '-' and the day, like 1-7 (7th day of month 1) or 4L-15 (leap month 4)
lunar-empty = it is empty; { $examples }
lunar-several = it holds several dates; write one lunar date per cell, like 1-7
lunar-sign = remove the sign before the month: a lunar date is the month, '-' and the day, like { $rest }
lunar-excel-date = Excel turned { $month }-{ $day } into a date; format the column as Text and write { $month }-{ $day } again
lunar-month-first = write the month first, then '-' and the day, like { $month }-{ $day } for day { $day } of month { $month }
lunar-no-year = write only the month and the day, without a year, like 1-7; a festival's lunar date recurs every year
lunar-leap-after-month = write L after the month, not the day, like { $month }L-{ $day } for day { $day } of leap month { $month }
lunar-month-not-number = the month must be a number 1 to 12, followed by L for a leap month, like 4L-15
lunar-month-range = the month must be 1 to 12, like 1-7
lunar-day-range = the day must be 1 to 30 (a lunar month has 29 or 30 days), like 1-7

## Nhập: tệp danh mục (ingest: villages.csv, crafts.csv, artisans.csv, honours.csv, products.csv and the authority forms, issue 15)
ingest-authority-access-changes = access changes from { $old } to { $new } for { $what } '{ $id }', as stated
ingest-column-must-not-be-empty = this column must not be empty
ingest-date-in-future = { $date } is in the future (today is { $today } in Vietnam): check the date
ingest-not-a-day = '{ $text }' is not a day written YYYY-MM-DD
ingest-not-a-calendar-day = '{ $text }' is not a day of the calendar
ingest-authority-write-access = write public, researchers, restricted or community:<group-id> in the access column (a cell left out before it moves the rest of the row)
ingest-authority-no-access-column = this file has no access column: what it describes is public
ingest-authority-remove-or-restrict = remove it, or restrict the records that need it
ingest-authority-stray-access = '{ $column }' says '{ $level }', an access level, but { $access }: { $fix }; the row is not ingested until it is fixed
ingest-authority-one-access-column = this file takes one access column (values: public, researchers, restricted, community:<group-id>)
ingest-authority-public-remove-column = what this file describes is public: remove the column
ingest-authority-rule-column = the column '{ $header }' is not one this file reads, and it may say who may see what it describes: { $hint }; nothing in the file was ingested
ingest-authority-unknown-column = '{ $header }' is not a column this file reads; its values are ignored (its columns: { $columns })
ingest-twice = twice
ingest-n-times = { $count } times
ingest-authority-repeated-column = the header names '{ $header }' { $times }, in columns { $others } and { $last }: this file takes one value for it, and which one was meant cannot be told; keep one of these columns; nothing in the file was ingested
ingest-header-lacks-columns = the header lacks the column(s) { $columns }
ingest-authority-row-misaligned = the row has { $cells } but the header names { $columns } columns{ $why }; the row is not ingested until it is fixed
ingest-id-described-again-row = '{ $id }' is described again at row { $rows }: give each id one row; none of its rows is ingested until then
ingest-id-described-again-rows = '{ $id }' is described again at rows { $rows }: give each id one row; none of its rows is ingested until then
ingest-id-already-described = '{ $id }' is already described at row { $first }: give each id one row; none of its rows is ingested until then
ingest-id-given-twice = this id is given by another row too: give each id one row; none of its rows is ingested until then

ingest-no-class = no class
ingest-village-class-changes = the Decree 52/2018 class of '{ $id }' changes from { $from } to { $to }, and the file has no status_date column: the date { $date } was the old class's, so the new class's date is left unknown; add a status_date column to give it
ingest-coordinates-swapped = ; it would be a { $other } in Vietnam: are latitude and longitude swapped?
ingest-coordinate-outside-vietnam = { $text } is outside Vietnam, whose { $column }s run from { $low } to { $high } (degrees { $unit }): check the position{ $swapped }
ingest-north = north
ingest-east = east
ingest-coordinate-decimal-comma = '{ $text }' is written with a decimal comma (as Excel writes numbers in a Vietnamese locale): write { $value } with a point; a { $column } is in decimal degrees, { $low } to { $high } in Vietnam
ingest-coordinate-not-number = '{ $text }' is not a { $column } in decimal degrees: write a number such as { $example } ({ $low } to { $high } in Vietnam)
ingest-half-position = a { $given } without a { $missing }: a village's position needs both, in decimal degrees (latitude 20.5, longitude 105.9); write the { $missing } or leave both empty
ingest-latitude = latitude
ingest-longitude = longitude
ingest-recognition-form = write the decision that recognised the village, ';', then its EDTF date (1234/QĐ-UBND; 2006-05-12), or either alone
ingest-recognition-two-dates = '{ $text }' gives two dates, and a village is recognised once: { $form }
ingest-recognition-unreadable = '{ $text }' cannot be read: { $form }
ingest-recognition-neither = '{ $part }' is neither a decision (its number and issuer, like 1234/QĐ-UBND) nor an EDTF date ({ $error }): { $form }
ingest-recognition-date-not-edtf = the date after ';' is not EDTF: { $error } (write the decision, ';', then its date: 1234/QĐ-UBND; 2006-05-12)
ingest-recognition-too-many-parts = '{ $text }' holds more than a decision and a date: write the decision, ';', then its date (1234/QĐ-UBND; 2006-05-12), or either alone
ingest-ocop-stars-range = '{ $text }' stars do not exist: an OCOP rating has 1 to 5 stars
ingest-ocop-stars-not-number = '{ $text }' is not a number of stars: write 1, 2, 3, 4 or 5
ingest-ocop-score = '{ $text }' is not an OCOP score: write the points out of 100, a whole number from 0 to 100
ingest-state-title-wrong-scheme = '{ $title }' is a State title, awarded only by the State President under decree-93-2023 or decree-62-2014 (intangible cultural heritage) or decree-43-2024 or decree-123-2014 (handicrafts), never under { $scheme }: write the decree it was awarded under, or the title the { $scheme } scheme gave
ingest-not-a-state-title = '{ $title }' is not a State title: the scheme { $scheme } awards only { $first } or { $second }; write one of them, or choose a scheme for other titles (association, provincial, other)

ingest-the-death = the death
ingest-the-archived-death = the archived death
ingest-the-birth = the birth
ingest-the-archived-birth = the archived birth
ingest-death-before-birth = { $death } ({ $died }) is before { $birth } ({ $born }): check both years
ingest-ocop-stars-empty = this column must not be empty when the row gives an OCOP rating: write its stars, 1 to 5
ingest-ocop-no-stars-column = the row gives an OCOP rating but no stars: add the column ocop_stars with its stars, 1 to 5
ingest-one-star = { $count } star
ingest-stars = { $count } stars
ingest-ocop-score-rule = Decision 148/QĐ-TTg: 3 stars from { $three } points, 4 from { $four }, 5 from { $five }
ingest-ocop-score-stars = a score of { $score } earns { $earned }, not { $stars } ({ $rule }): correct the stars or the score
ingest-ocop-stars-archived-score = { $stars } stars contradict the archived score of { $score }, which earns { $earned } ({ $rule })
ingest-ocop-score-archived-stars = a score of { $score } earns { $earned }, not the archived { $stars } ({ $rule })
ingest-ocop-level-rule = Decision 148/QĐ-TTg: district or commune 3 stars, province 4, national 5
ingest-ocop-level-stars = a rating recognised by the { $level } level has { $recognised } stars, not { $stars } ({ $rule })
ingest-ocop-stars-archived-level = { $stars } stars contradict the archived { $level } level, which recognises { $recognised } stars ({ $rule })
ingest-ocop-level-archived-stars = a rating recognised by the { $level } level has { $recognised } stars, not the archived { $stars } ({ $rule })
ingest-ocop-expires-before-issued = the certificate expires on { $expires }, before it was issued on { $issued }
ingest-ocop-issued-after-archived-expiry = the certificate was issued on { $issued }, after the archived expiry, { $expires }
ingest-ocop-expires-before-archived-issue = the certificate expires on { $expires }, before the archived issue day, { $issued }
ingest-ocop-contradiction-archived = { $archived }: correct the { $what }, or give the new { $other } in an { $column } column
ingest-ocop-word-score = score
ingest-ocop-word-stars = stars
ingest-ocop-word-level = level
ingest-ocop-word-expiry = expiry
ingest-ocop-word-issue-day = issue day

ingest-free-text-product-restricted = ; the product's access is { $access }, so this entry is left out for everyone who may not see it
ingest-free-text-names-product = '{ $entry }' names the product { $id }, which metadata/products.csv or the archive describes; link a product to its village with the village column of metadata/products.csv, not this free-text list, which the village page shows as written{ $restricted }
ingest-ocop-as-archived = {" "}(the { $what } as archived)
ingest-ocop-both-as-archived = {" "}(the issue day and expiry as archived)
ingest-ocop-certificate-too-long = the certificate runs from { $issued } to { $expires }{ $note }, longer than the { $months } months an OCOP certificate is valid (Decision 148/QĐ-TTg; from { $issued } it ends on { $ends }): check the dates

ingest-ocop-certificate-rule = Decision 148/QĐ-TTg certifies products of 3 to 5 stars
ingest-list-and = { $others } and { $last }
ingest-description-replaced = replaces the description of record '{ $id }' (it loses: { $lost }), as --replace-descriptions asked
ingest-record-would-lose = '{ $id }' would lose: { $lost }
ingest-no-sheet-would-replace = nothing was ingested: this batch has no metadata.csv, and its files would replace the descriptions of { $threatened } { $threatened ->
        [1] record
       *[other] records
    } the archive already holds ({ $example }{ $threatened ->
        [1] {""}
       *[other] , …
    }); is it the right folder? To replace those descriptions with ones made from file names, ingest again with --replace-descriptions
ingest-description-would-be-lost = not ingested: record '{ $id }' already exists with a description this batch does not give (it would lose: { $lost }); describe it in metadata.csv, or ingest again with --replace-descriptions
ingest-batch-refused-whole = not ingested: the batch was refused as a whole (see the error about '.')

## Nhập: phân tích tệp ảnh và phương tiện (store/analyse.rs, photo.rs, issue 15)
ingest-file-cannot-read = cannot read: { $error }
ingest-location-not-checked = location not checked yet: { $error }; the file is archived, its original is sent to no visitor until `disan reindex` checks it once the index disk has room
ingest-location-check-failed = could not check for location metadata: { $error }
ingest-picture-over-memory-budget = no preview: at { $size } MiB the file is over the { $budget } MiB budget for checking a picture in memory; the file is kept unchecked
ingest-motion-photo = motion photo: the { $bytes } bytes after the picture (its video) are kept with the file; only the photo is shown
ingest-variant-not-supported = { $what } not supported
ingest-kept-without-preview = no preview: { $reason }; the file is kept
ingest-derivatives-left = no preview yet: { $error }; the file is archived, and `disan reindex` makes its previews once the index disk has room
ingest-derivatives-failed = could not make derivatives: { $error }
ingest-corrupt-file = corrupt or truncated { $format }: { $reason }
ingest-heif-no-preview = no preview: { $format } not supported here ({ $reason }); the file is preserved
ingest-heif-orientation-disagrees = EXIF orientation { $orientation } disagrees with the { $format }'s own rotation; shown { $width }×{ $height } as the file's rotation says (in HEIF the EXIF orientation is informative only)
ingest-exif-date-left-out = the EXIF date '{ $date }' ({ $tag }) was left out: { $reason }

ingest-a-row = a row
ingest-honour-repeated = '{ $artisan }' holds '{ $title }' under { $scheme } in { $first_row } already: { $first_row } and { $this_row } are one award (a title is awarded once under a scheme), so it is stored once, as { $first_row } gives it, and { $this_row } is not stored{ $differ }; delete { $this_row }, or correct its title or scheme if it is another award
ingest-honour-repeated-differs-one = ; { $this_row } gives another { $listed } than { $first_row }, and only { $first_row }'s is stored: check which is right
ingest-honour-repeated-differs-many = ; { $this_row } gives another { $listed } than { $first_row }, and only { $first_row }'s are stored: check which are right
ingest-ocop-low-stars-certificate = a { $stars }-star rating has no OCOP certificate ({ $rule }): check the stars, or leave { $listed } empty
ingest-ocop-low-stars-archived-certificate = a { $stars }-star rating has no OCOP certificate ({ $rule }), but the archive holds certificate data for this product ({ $columns }): check the stars, or clear that data with those columns left empty
ingest-honour-before-scheme = the award is dated { $date }, before { $event } ({ $day }): an honour under { $scheme } cannot be older; check the date or the scheme
ingest-decree-93-effect = Decree 93/2023/NĐ-CP took effect
ingest-decree-43-effect = Decree 43/2024/NĐ-CP took effect
ingest-decree-62-issued = Decree 62/2014/NĐ-CP was issued
ingest-decree-123-issued = Decree 123/2014/NĐ-CP was issued
ingest-honour-decision = , decision { $decision }
ingest-honour-dropped = '{ $artisan }' held '{ $title }' ({ $scheme }{ $decision }), which its rows here leave out: an artisan named in this file gets exactly the honours its rows give, so the award is removed; add a row for it to keep it

## Văn bản Markdown (ingest: a text record's front matter and body, issue 15)
text-too-large = the text is too large: { $size } bytes, over the budget of { $budget } MiB
text-quotations-too-deep = the text is too deeply nested: quotations nest more than { $depth } deep
text-brackets-too-deep = the text is too deeply nested: square brackets nest more than { $depth } deep
front-matter-not-closed = the front matter opened with '{ $fence }' is never closed
front-matter-values-too-large = the front matter expands to { $values } bytes of values, over the budget of { $budget } MiB
front-matter-misplaced = the text begins with '{ $line }', which looks like front matter but is not between two '---' lines at the very top; fix the front matter so that its metadata (and access) are read, not published as text
front-matter-too-large = the front matter is too large: { $size } bytes, over the budget of { $budget } KiB
front-matter-too-deep = the front matter is too deeply nested: brackets nest more than { $depth } deep
front-matter-too-many-aliases = the front matter uses { $used } YAML aliases (*name), over the budget of { $budget }
front-matter-yaml-invalid = the YAML front matter is invalid: { $error }
front-matter-yaml-not-mapping = the YAML front matter must be a list of 'key: value' lines
front-matter-key-not-text = a front-matter key must be plain text
front-matter-toml-invalid = the TOML front matter is invalid: { $error }
front-matter-nested = front-matter key '{ $key }' holds a nested table; use plain values or a list
ingest-place-row = row { $row } of { $file }
ingest-place-front-matter = the front matter of { $file }
ingest-translation-disagrees = { $later } says { $column }: { $value }, but { $earlier } says { $first_column }: { $first_value }; a text and its translation are one record, so they must agree
ingest-row-and-text-disagree = { $row } says { $name }: { $stated }, but { $text } says { $name }: { $said }; make them agree
ingest-folder-text-unreadable = { $problem }; it lies in the folder that { $place } describes as one record, so that record is not ingested
ingest-folder-text-rule-key = '{ $key }' is not a key Disan knows, and it may say who may see the text: did you mean { $meant }? It lies in the folder that { $place } describes as one record, so that record is not ingested
ingest-public-by-default = public (by default)
ingest-none = none
ingest-folder-text-disagrees = its front matter says { $name }: { $said }, but it lies in the folder that { $place } describes as one record with { $name } { $folder }; make them agree, or move the text out of that folder and describe it on its own
