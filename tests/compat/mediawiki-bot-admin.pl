#!/usr/bin/perl
# Page administration and the change feeds with Debian's MediaWiki::Bot (libmediawiki-bot-perl 5.007), as a sysop.
# MediaWiki::Bot's own functions: login, get_history, get_users, recentchanges, update_rc, contributions,
# top_edits, last_active, recent_edit_to_page, count_contributions, undo, revert, get_text, move, get_log,
# get_protection, purge_page, diff (prop=revisions&rvdiffto), get_id.
# MediaWiki::Bot 5.007 has no rollback, delete, undelete, protect or watch: those are in the CPAN distribution
# MediaWiki::Bot::Plugin::Admin, which Debian does not package. They go through the client's raw call instead,
# $bot->{api} (MediaWiki::API): its edit() fetches the action's token itself (rollback token for rollback, csrf
# for the rest); watch needs the watch token, which edit() does not know, so it is asked of meta=tokens.
# Run by tests/CrossWiki.Tests/Compat/RealClientTests.cs; needs CW_API, CW_USER, CW_PASSWORD (a sysop), CW_PAGE
# (a page edited by CW_AUTHOR, then twice by CW_VANDAL), CW_AUTHOR and CW_VANDAL.
# Prints one line per step; exits 1 with "FAIL <step>: <why>" on the first failure.
use strict;
use warnings;
no warnings 'deprecated';
use MediaWiki::Bot;

sub required {
    my ($name) = @_;
    my $value = $ENV{$name};
    unless ($value) { print STDERR "FAIL setup: environment variable $name is not set\n"; exit 2; }
    return $value;
}

my $api = required('CW_API');
my $user = required('CW_USER');
my $password = required('CW_PASSWORD');
my $page = required('CW_PAGE');
my $author = required('CW_AUTHOR');
my $vandal = required('CW_VANDAL');
my $moved = "$page (moved by MediaWiki::Bot)";
my ($protocol, $host, $path) = $api =~ m{^(https?)://([^/]+)/(.*)/api\.php$} or die "CW_API must end in /api.php: $api";

my $step = 'start';
sub check {
    my ($name, $code) = @_;
    $step = $name;
    $code->();
    print "ok $name\n";
}

sub same {
    my ($actual, $expected, $what) = @_;
    my $a = join('|', map { $_ // 'undef' } @$actual);
    my $e = join('|', @$expected);
    die "$what: [$a] instead of [$e]\n" unless $a eq $e;
}

my $bot;
sub failed { my ($what) = @_; return "$what failed: " . ($bot->{error}->{code} // '') . ' ' . ($bot->{error}->{details} // '') . "\n"; }

my @history;
eval {
    check('login', sub {
        $bot = MediaWiki::Bot->new({ protocol => $protocol, host => $host, path => $path, agent => 'CrossWiki compatibility test (MediaWiki::Bot)' });
        $bot->login({ username => $user, password => $password }) or die failed('login');
    });
    check('get_history and get_users', sub {
        @history = $bot->get_history($page);
        same([map { $_->{user} } @history], [$vandal, $vandal, $author], 'history, newest first');
        die "revision ids: @{[map { $_->{revid} } @history]}\n" unless $history[0]{revid} > $history[1]{revid} && $history[1]{revid} > $history[2]{revid};
        my @two = $bot->get_history($page, { rvlimit => 1 });
        same([map { $_->{user} } @two], [$vandal, $vandal, $author], 'history one revision at a time (rvcontinue)');
        same([$bot->get_users($page)], [$vandal, $vandal, $author], 'get_users');
        my ($timestamp, $last) = $bot->recent_edit_to_page($page);
        die "recent_edit_to_page: $last at $timestamp\n" unless $last eq $vandal && $timestamp =~ /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
    });
    check('recentchanges and update_rc', sub {
        my @changes = grep { $_->{title} eq $page } $bot->recentchanges({ ns => 0, limit => 20 });
        same([map { "$_->{type} $_->{user}" } @changes], ["edit $vandal", "edit $vandal", "new $author"], 'recent changes of the page');
        die "ids: $changes[0]{old_revid} after $changes[1]{revid}\n" unless $changes[0]{old_revid} == $changes[1]{revid};
        my @by_vandal = $bot->recentchanges({ user => $vandal, limit => 5 });
        same([map { $_->{user} } @by_vandal], [$vandal, $vandal], 'rcuser');
        my @rc = grep { $_->{title} eq $page } $bot->update_rc(20);
        same([map { $_->{revid} } @rc], [map { $_->{revid} } @history], 'update_rc revision ids');
    });
    check('rollback ($bot->{api}->edit)', sub {
        # undo and revert below send basetimestamp (the latest revision's second, as MediaWiki::Bot reads it). CrossWiki
        # takes a second shared by several users' revisions as based on the earliest of them (PageEditor: a race in
        # one second conflicts instead of losing an edit; MediaWiki lets it through), and the test saved the vandal's
        # edits just now: the sysop's edits start in a later second, as they would on a wiki in use.
        select(undef, undef, undef, 1.1);
        my $res = $bot->{api}->edit({ action => 'rollback', title => $page, user => $vandal, summary => 'by MediaWiki::Bot' }) or die failed('rollback');
        die "rollback answer: revid $res->{rollback}{revid}, last $res->{rollback}{last_revid}\n"
            unless $res->{rollback}{last_revid} == $history[2]{revid} && $res->{rollback}{old_revid} == $history[0]{revid};
        same([$bot->get_text($page)], ['good text'], 'text after rollback');
    });
    check('undo and revert', sub {
        my ($top) = $bot->get_history($page, { rvlimit => 1 });
        $bot->undo($page, $top->{revid}) or die failed('undo');
        same([$bot->get_text($page)], ['worse text'], 'text after undoing the rollback');
        $bot->revert($page, $history[2]{revid}, 'back to the good text') or die failed('revert');
        same([$bot->get_text($page)], ['good text'], 'text after revert');
        my ($latest) = $bot->get_history($page, { rvlimit => 1 });
        die "revert: $latest->{user}, $latest->{comment}\n" unless $latest->{user} eq $user && $latest->{comment} eq 'back to the good text';
    });
    check('contributions, top_edits, last_active, count_contributions', sub {
        my @edits = $bot->contributions($vandal);
        same([map { $_->{title} } @edits], [$page, $page], "the vandal's contributions");
        my @first = $bot->contributions($author);
        die "the author's edit is not flagged new\n" unless @first == 1 && exists $first[0]{new};
        my @own = $bot->contributions($user, 0);
        same([map { $_->{comment} } @own], ['back to the good text', "Reverting revision #$own[2]{revid}", 'by MediaWiki::Bot'],
            "the sysop's revert, undo (MediaWiki::Bot's summary) and rollback");
        same([$bot->top_edits($user)], [$page], 'top_edits');
        same([$bot->top_edits($vandal)], [], "the vandal's top edits");
        die "last_active\n" unless ($bot->last_active($user) // '') =~ /^\d{4}-/;
        same([$bot->count_contributions($user)], [3], 'count_contributions');
    });
    check('move', sub {
        my $res = $bot->move($page, $moved, 'by MediaWiki::Bot', { movetalk => 1 }) or die failed('move');
        die "move answer: $res->{move}{to}\n" unless $res->{move}{from} eq $page && $res->{move}{to} eq $moved && exists $res->{move}{redirectcreated};
        same([$bot->get_text($page)], ["#REDIRECT [[$moved]]"], 'the redirect left behind');
        same([$bot->get_text($moved)], ['good text'], 'the moved page');
    });
    check('get_log and the move in recent changes', sub {
        my $moves = $bot->get_log({ type => 'move', target => $page }) or die failed('get_log');
        die "move log: @{[scalar @$moves]} entries\n" unless @$moves == 1;
        same([$moves->[0]{user}, $moves->[0]{comment}, $moves->[0]{params}{target_title}], [$user, 'by MediaWiki::Bot', $moved], 'move log entry');
        my $by_user = $bot->get_log({ user => "User:$user", type => 'move' }) or die failed('get_log by user');
        same([map { $_->{title} } @$by_user], [$page], 'move log by user');
        my @changes = $bot->recentchanges({ ns => 0, limit => 50 });
        my @logs = grep { $_->{type} eq 'log' && $_->{title} eq $page } @changes;
        die "no move in recent changes\n" unless @logs == 1 && $logs[0]{user} eq $user;
    });
    check('protect ($bot->{api}->edit) and get_protection', sub {
        die "already protected\n" if defined $bot->get_protection($moved);
        my $res = $bot->{api}->edit({ action => 'protect', title => $moved, protections => 'edit=sysop|move=sysop', expiry => 'infinite', reason => 'by MediaWiki::Bot' })
            or die failed('protect');
        die "protect answer\n" unless @{ $res->{protect}{protections} } == 2;
        my $protection = $bot->get_protection($moved) or die "not protected\n";
        same([map { "$_->{type}=$_->{level} $_->{expiry}" } sort { $a->{type} cmp $b->{type} } @$protection], ['edit=sysop infinity', 'move=sysop infinity'], 'get_protection');
        my $log = $bot->get_log({ type => 'protect', target => $moved });
        same([map { $_->{action} } @$log], ['protect'], 'protect log');
    });
    check('purge_page', sub {
        same([$bot->purge_page($moved)], [1], 'purged pages');
        same([$bot->purge_page([$moved, $page])], [2], 'purged pages of a list');
    });
    check('diff (rvdiffto)', sub {
        my $bad = (grep { $_->{user} eq $vandal } @history)[0];
        my $diff = $bot->diff({ title => $moved, oldid => $bad->{revid} }) // die failed('diff');
        die "diff body: $diff\n" unless $diff =~ /diff-deletedline/ && $diff =~ /diff-addedline/ && $diff =~ m{<del class="diffchange diffchange-inline">good</del> text} && $diff =~ m{<ins class="diffchange diffchange-inline">worse</ins> text};
    });
    check('watch ($bot->{api}->api)', sub {
        my $tokens = $bot->{api}->api({ action => 'query', meta => 'tokens', type => 'watch' }) or die failed('meta=tokens');
        my $res = $bot->{api}->api({ action => 'watch', titles => $moved, token => $tokens->{query}{tokens}{watchtoken} }) or die failed('watch');
        die "watch answer\n" unless $res->{watch}[0]{title} eq $moved && exists $res->{watch}[0]{watched};
        # list=watchlistraw answers at the top level, not under "query" (as on MediaWiki), where MediaWiki::API's
        # list() looks: api() and the answer's watchlistraw.
        my $raw = $bot->{api}->api({ action => 'query', list => 'watchlistraw', wrlimit => 'max' }) or die failed('watchlistraw');
        my %titles = map { $_->{title} => 1 } @{ $raw->{watchlistraw} };
        die "watchlistraw: @{[sort keys %titles]}\n" unless $titles{$moved} && $titles{"Talk:$moved"};
    });
    check('delete ($bot->{api}->edit)', sub {
        my $id = $bot->get_id($moved);
        my $res = $bot->{api}->edit({ action => 'delete', title => $moved, reason => 'by MediaWiki::Bot' }) or die failed('delete');
        die "delete answer\n" unless $res->{delete}{title} eq $moved && $res->{delete}{logid} > 0;
        die "still has an id\n" if defined $bot->get_id($moved);
        die "still has text\n" if defined $bot->get_text($moved);
        my $log = $bot->get_log({ type => 'delete', target => $moved });
        same([map { "$_->{action} $_->{user} $_->{logpage}" } @$log], ["delete $user $id"], 'delete log');
    });
    check('undelete ($bot->{api}->edit)', sub {
        my $res = $bot->{api}->edit({ action => 'undelete', title => $moved, reason => 'by MediaWiki::Bot' }) or die failed('undelete');
        # Three edits, the rollback, the undo, the revert, and the null revisions of the move and of the protection.
        die "undelete answer: $res->{undelete}{revisions}\n" unless $res->{undelete}{revisions} == 8;
        same([$bot->get_text($moved)], ['good text'], 'text after undelete');
        same([scalar(my @all = $bot->get_history($moved))], [8], 'restored history');
    });
    1;
} or do {
    my $why = $@ || 'unknown error';
    chomp $why;
    print STDERR "FAIL $step: $why\n";
    exit 1;
};
print "MediaWiki::Bot admin flow passed\n";
