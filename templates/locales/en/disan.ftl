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
query-empty-range = The range “{ $value }” holds no date: its excluded ends ({"{"} and {"}"}) leave nothing between them. Write date:[2026 TO 2026] for the whole year
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
