package main

import (
	"io"
	"strconv"

	"github.com/mfakit/mfakit/oneloginclient"
)

// oneloginFactorsList is "onelogin factors list USER": the user's enrolled devices.
func oneloginFactorsList(a *app, args []string) error {
	c, err := a.oneloginClient()
	if err != nil {
		return err
	}
	user, err := c.oneloginUser(args[0])
	if err != nil {
		return err
	}
	devices, err := c.client.ListEnrolledFactors(a.ctx, user)
	if err != nil {
		return err
	}
	if devices == nil {
		devices = []oneloginclient.Device{}
	}
	if a.json {
		return writeJSON(a.stdout, devices)
	}
	return printDevices(a.stdout, devices)
}

// printDevices prints OneLogin devices as a table.
func printDevices(w io.Writer, devices []oneloginclient.Device) error {
	t := newTable(w, "DEVICE ID", "FACTOR", "SHOWN AS", "NAME", "ACTIVE", "DEFAULT", "NEEDS TRIGGER", "PHONE")
	for _, d := range devices {
		t.row(strconv.FormatInt(d.ID, 10), d.AuthFactorName, d.TypeDisplayName, d.UserDisplayName,
			yesNo(d.Active), yesNo(d.Default), yesNo(d.NeedsTrigger), d.PhoneNumber)
	}
	return t.flush()
}

// oneloginFactorsAvailable is "onelogin factors available USER": the factors the
// account lets the user enroll.
func oneloginFactorsAvailable(a *app, args []string) error {
	c, err := a.oneloginClient()
	if err != nil {
		return err
	}
	user, err := c.oneloginUser(args[0])
	if err != nil {
		return err
	}
	factors, err := c.client.ListAvailableFactors(a.ctx, user)
	if err != nil {
		return err
	}
	if factors == nil {
		factors = []oneloginclient.AvailableFactor{}
	}
	if a.json {
		return writeJSON(a.stdout, factors)
	}
	t := newTable(a.stdout, "FACTOR ID", "NAME")
	for _, f := range factors {
		t.row(strconv.FormatInt(f.FactorID, 10), f.Name)
	}
	return t.flush()
}
