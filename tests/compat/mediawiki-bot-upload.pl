#!/usr/bin/perl
# An upload with Debian's MediaWiki::Bot (libmediawiki-bot-perl 5.007): $bot->upload, a multipart POST
# through MediaWiki::API. Run by tests/CrossWiki.Tests/Compat/RealClientTests.cs; needs CW_API, CW_USER,
# CW_PASSWORD, CW_FILE (a local file) and CW_FILENAME (the name on the wiki).
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
my ($protocol, $host, $path) = $api =~ m{^(https?)://([^/]+)/(.*)/api\.php$} or die "CW_API must end in /api.php: $api";
my $bot = MediaWiki::Bot->new({ protocol => $protocol, host => $host, path => $path, agent => 'CrossWiki compatibility test (MediaWiki::Bot 5.007)' });
unless ($bot->login({ username => required('CW_USER'), password => required('CW_PASSWORD') })) {
    print STDERR "FAIL login: " . ($bot->{error}->{details} // 'no details') . "\n";
    exit 1;
}
print "ok login\n";
my $result = $bot->upload({ file => required('CW_FILE'), title => required('CW_FILENAME'), summary => 'MediaWiki::Bot upload' });
unless ($result && $result->{upload} && $result->{upload}->{result} eq 'Success') {
    print STDERR "FAIL upload: " . ($bot->{error}->{details} // 'no details') . "\n";
    exit 1;
}
print "ok upload: $result->{upload}->{filename}\n";
print "MediaWiki::Bot upload flow passed\n";
