/** The tabs a first visit to the explorer opens: the demo menu, signing in, and a signed-in query. */
export const explorerTabs = [
  {
    query: `# The public menu of the demo restaurant: press the run button (or Ctrl-Enter).
query DemoMenu {
  restaurant(slug: "demo-bistro") {
    name
    menu {
      name
      items {
        name
        price {
          amount
          currency
        }
      }
    }
  }
}
`,
  },
  {
    query: `# Sign in with a demo account (every password is servio-demo), then copy accessToken
# into the Headers editor of the next tab: {"Authorization": "Bearer <accessToken>"}.
mutation SignIn {
  login(email: "manager@demo-bistro.test", password: "servio-demo") {
    accessToken
    user {
      email
    }
  }
}
`,
  },
  {
    query: `# Runs as whoever the Authorization header below names (see the SignIn tab).
query Me {
  me {
    email
    memberships {
      role
      restaurant {
        name
      }
    }
  }
}
`,
    headers: '{\n  "Authorization": "Bearer <paste accessToken here>"\n}',
  },
];
