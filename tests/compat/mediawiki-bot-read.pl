#!/usr/bin/perl
# Reads of a wiki's pages, categories, links, templates, backlinks, users and search with Debian's
# MediaWiki::Bot (libmediawiki-bot-perl 5.007), against pages the test made first (tests/compat/README.md).
# Run by tests/CrossWiki.Tests/Compat/RealClientTests.cs; needs CW_API, CW_USER, CW_PASSWORD, CW_PREFIX, CW_WORD.
# Prints one line per step; exits 1 with "FAIL <step>: <why>" on the first failure.
use strict;
use warnings;
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
my $p = required('CW_PREFIX');
my $word = required('CW_WORD');
my ($protocol, $host, $path) = $api =~ m{^(https?)://([^/]+)/(.*)/api\.php$} or die "CW_API must end in /api.php: $api";

my $step = 'start';
sub same {
    my ($actual, $expected, $what) = @_;
    my $a = join('|', @$actual);
    my $e = join('|', @$expected);
    die "$what: [$a] instead of [$e]\n" unless $a eq $e;
}

sub check {
    my ($name, $code) = @_;
    $step = $name;
    $code->();
    print "ok $name\n";
}

my $bot;
eval {
    check('login', sub {
        $bot = MediaWiki::Bot->new({ protocol => $protocol, host => $host, path => $path, agent => 'CrossWiki compatibility test (MediaWiki::Bot)' });
        $bot->login({ username => $user, password => $password }) or die "login failed: " . ($bot->{error}->{details} // '') . "\n";
    });
    check('get_text', sub {
        my $text = $bot->get_text("$p target");
        die "text: " . ($text // 'undef') . "\n" unless defined $text && index($text, $word) >= 0;
    });
    check('get_id', sub {
        my $id = $bot->get_id("$p source");
        die "no id\n" unless $id && $id > 0;
        die "a missing page has an id\n" if defined $bot->get_id("$p missing");
    });
    check('get_pages', sub {
        my $pages = $bot->get_pages("$p target", "$p missing");
        die "target text missing\n" unless index($pages->{"$p target"} // '', $word) >= 0;
        die "the missing page has text\n" if defined $pages->{"$p missing"};
    });
    check('what_links_here', sub {
        same([map { $_->{title} . ($_->{redirect} ? ' (redirect)' : '') } $bot->what_links_here("$p target")],
            ["$p source", "$p redirect (redirect)"], 'backlinks');
    });
    check('list_transclusions', sub { same([map { $_->{title} } $bot->list_transclusions("Template:$p box")], ["$p source"], 'transclusions') });
    check('get_pages_in_category', sub { same([$bot->get_pages_in_category("Category:$p cat")], ["$p source", "Category:$p sub"], 'members') });
    check('get_all_categories', sub {
        my @all = $bot->get_all_categories({ max => 0 });
        die "categories: @all\n" unless grep { $_ eq "$p cat" } @all;
    });
    check('image_usage', sub { same([$bot->image_usage("File:$p.png")], ["$p source"], 'image usage') });
    # list=allpages says nothing of redirects (on MediaWiki too), so none is flagged.
    check('prefixindex', sub {
        same([map { $_->{title} . ($_->{redirect} ? ' (redirect)' : '') } $bot->prefixindex($p)],
            ["$p redirect", "$p source", "$p target", "$p target/sub"], 'prefix index');
    });
    check('search', sub { same([$bot->search($word)], ["$p target"], 'search') });
    check('count_contributions', sub {
        my $count = $bot->count_contributions($user);
        die "edit count: " . ($count // 'undef') . "\n" unless defined $count && $count >= 5;
    });
    check('get_allusers', sub {
        my @users = $bot->get_allusers(500);
        die "users: @users\n" unless grep { $_ eq $user } @users;
    });
    check('get_namespace_names', sub {
        my %ns = $bot->get_namespace_names();
        die "namespace 14: " . ($ns{14} // 'undef') . "\n" unless ($ns{14} // '') eq 'Category';
    });
    1;
} or do {
    my $why = $@ || 'unknown error';
    chomp $why;
    print STDERR "FAIL $step: $why\n";
    exit 1;
};
print "MediaWiki::Bot read flow passed\n";
